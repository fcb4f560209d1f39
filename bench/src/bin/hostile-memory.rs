//! `cargo run --release -p bench --bin hostile-memory`: streams a 2 GiB body (announced by
//! `Content-Length`, and chunked without one) and an endless chunked body into a decoding call
//! of the generated client with its default settings, and prints the peak resident memory
//! (`VmHWM`) of the process that made the call. Each call must end with `Error::TooLarge`, its
//! peak below the body limit plus 64 MB; the program exits non-zero otherwise.
//!
//! The server runs in this process on blocking threads; each call runs in a fresh child
//! process (`--call URL`), so that its peak is its own. The body is one JSON string that never
//! closes, the worst case for a decoder: nothing of it can be dropped before the end.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;

use anyhow::{Context, Result, bail};
use bench::peak_memory;
use infraon_client::{Client, Error};

/// What the server sends, by the first segment of the request path.
const SCENARIOS: [(&str, &str); 3] = [
    ("content-length", "2 GiB, Content-Length"),
    ("chunked", "2 GiB, chunked"),
    ("endless", "endless, chunked"),
];

const MIB: usize = 1024 * 1024;

/// The headroom over the body limit a call may take: the runtime, reqwest, tokio and a chunk.
const HEADROOM: u64 = 64 * 1000 * 1000;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, url] = args.as_slice() {
        if flag == "--call" {
            return call(url);
        }
    }
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // A write fails once the client hangs up, which ends the thread.
            std::thread::spawn(move || serve(stream));
        }
    });
    println!("{:<24} {:>10} {:>17} {:>6}  error", "body", "peak MB", "limit + 64 MB", "");
    let mut failed = false;
    for (path, name) in SCENARIOS {
        let output = Command::new(std::env::current_exe()?)
            .arg("--call")
            .arg(format!("http://{address}/{path}"))
            .output()
            .context("running a call in a child process")?;
        let line = String::from_utf8_lossy(&output.stdout);
        println!("{name:<24} {}", line.trim_end());
        if !output.status.success() {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            failed = true;
        }
    }
    if failed {
        bail!("a call did not end with the body limit error, or took more memory than allowed");
    }
    Ok(())
}

/// Makes one decoding call to `base_url` and prints its peak memory and error.
fn call(base_url: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let client = Client::builder(base_url).build()?;
    let result = runtime.block_on(client.user_profile().get("42").send());
    let peak = peak_memory().context("reading VmHWM from /proc/self/status")?;
    let Err(Error::TooLarge(error)) = result else {
        println!("{:>10.1}", peak as f64 / 1e6);
        bail!("expected the body limit error, got {result:?}");
    };
    let allowed = error.limit as u64 + HEADROOM;
    let verdict = if peak < allowed { "ok" } else { "OVER" };
    println!("{:>10.1} {:>17.1} {verdict:>6}  {error}", peak as f64 / 1e6, allowed as f64 / 1e6);
    if peak >= allowed {
        bail!("peak {peak} bytes is over {allowed}");
    }
    Ok(())
}

/// Reads the request head and sends the body its path asks for, until done or the client
/// hangs up.
fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request_line.split(' ').nth(1).unwrap_or("");
    let scenario = path.trim_start_matches('/').split('/').next().unwrap_or("");
    // A JSON string that never closes, in chunks of 1 MiB.
    let mut first = br#"{"profile_id": ""#.to_vec();
    first.resize(MIB, b'x');
    let rest = vec![b'x'; MIB];
    let total_chunks = 2048; // 2 GiB
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
    match scenario {
        "content-length" => {
            write!(stream, "{head}content-length: {}\r\n\r\n", total_chunks * MIB)?;
            stream.write_all(&first)?;
            for _ in 1..total_chunks {
                stream.write_all(&rest)?;
            }
        }
        "chunked" | "endless" => {
            write!(stream, "{head}transfer-encoding: chunked\r\n\r\n")?;
            write_chunk(&mut stream, &first)?;
            let mut sent = 1;
            while scenario == "endless" || sent < total_chunks {
                write_chunk(&mut stream, &rest)?;
                sent += 1;
            }
            stream.write_all(b"0\r\n\r\n")?;
        }
        _ => write!(stream, "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")?,
    }
    stream.flush()
}

fn write_chunk(stream: &mut TcpStream, chunk: &[u8]) -> std::io::Result<()> {
    write!(stream, "{:x}\r\n", chunk.len())?;
    stream.write_all(chunk)?;
    stream.write_all(b"\r\n")
}
