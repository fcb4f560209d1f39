//! Plumbing for `contract.rs`: installing the pinned Prism, running it as a child process that
//! dies with the test, and a recording pass-through proxy between the client and Prism.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The version pinned in `tools/prism/package.json` and `package-lock.json`.
const PRISM_VERSION: &str = "5.16.0";

/// The media type [`Exchange`] records for a request without a body.
pub const NO_BODY: &str = "no body";

/// How long Prism may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The document the client was generated from, which Prism serves.
fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json")
}

pub fn spec() -> Value {
    let text = std::fs::read_to_string(spec_path()).expect("generated-client/openapi.json is readable");
    serde_json::from_str(&text).expect("generated-client/openapi.json is JSON")
}

/// Returns the Prism executable, first running `npm ci` in `tools/prism/` when it is missing or
/// another version. One test calls this, so two installs never race.
pub fn install_prism() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/prism");
    let bin = dir.join("node_modules/.bin/prism");
    if installed_version(&bin).as_deref() == Some(PRISM_VERSION) {
        return bin;
    }
    eprintln!("contract: installing Prism {PRISM_VERSION} with `npm ci` in tools/prism");
    // Scripts are skipped: Prism needs none, and the only one in its tree is an analytics ping.
    let output = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--fetch-retries=1", "--loglevel=error"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| {
            panic!("could not run `npm` ({error}); the contract test needs Node.js and npm to install Prism")
        });
    if !output.status.success() {
        panic!(
            "could not install Prism: `npm ci` in tools/prism failed ({}). It downloads \
             @stoplight/prism-cli {PRISM_VERSION} from the npm registry, so the registry must be \
             reachable (see `npm config get registry`). npm said:\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let found = installed_version(&bin);
    assert_eq!(found.as_deref(), Some(PRISM_VERSION), "`npm ci` left {} at another version", bin.display());
    bin
}

fn installed_version(bin: &Path) -> Option<String> {
    let output = Command::new(bin).arg("--version").stdin(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A running `prism mock`; dropping it kills the process and waits for it, so no exit path of
/// the test leaves it behind. Prism runs as a single `node` process (`--multiprocess` is off),
/// so there are no grandchildren to reap.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    /// Starts Prism on a free port of 127.0.0.1 (`-d`: dynamic responses) and waits until it
    /// accepts connections. Its output goes to a log file under the target directory, which a
    /// failure prints.
    pub fn start(bin: &Path, dynamic: bool) -> Prism {
        let port = free_port();
        let mode = if dynamic { "dynamic" } else { "static" };
        let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{mode}.log"));
        let out = File::create(&log).unwrap_or_else(|error| panic!("{}: {error}", log.display()));
        let mut command = Command::new(bin);
        command.arg("mock").arg(spec_path()).args(["-h", "127.0.0.1", "-p", &port.to_string()]);
        if dynamic {
            command.arg("-d");
        }
        command.stdin(Stdio::null()).stdout(out.try_clone().unwrap()).stderr(out);
        let child =
            command.spawn().unwrap_or_else(|error| panic!("could not start {}: {error}", bin.display()));
        // From here on the guard exists, so a failed start still kills the process.
        let mut prism = Prism { child, port, log };
        prism.wait_until_listening();
        prism
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn wait_until_listening(&mut self) {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "Prism exited ({status}) before listening on {address}; its output:\n{}",
                    self.output()
                );
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "Prism did not listen on {address} within {START_TIMEOUT:?}; its output:\n{}",
                    self.output()
                );
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.log)
            .unwrap_or_else(|error| format!("({}: {error})", self.log.display()))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            let output = self.output();
            let lines: Vec<&str> = output.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            eprintln!("last lines of Prism's log ({}):\n{tail}", self.log.display());
        }
    }
}

fn free_port() -> u16 {
    // The port is free once the listener is dropped; another process taking it in between
    // makes Prism exit with EADDRINUSE, which the start reports.
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}

/// One request/response pair that went through the [`Tap`].
pub struct Exchange {
    /// The request's media type without parameters, or `(no body)`.
    pub media_type: String,
    pub response_body: Vec<u8>,
}

/// An HTTP/1.1 pass-through proxy in front of Prism that records every exchange. Each
/// connection carries one request (`connection: close` both ways), handled in turn.
pub struct Tap {
    base_url: String,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl Tap {
    pub fn start(upstream: u16) -> Tap {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&exchanges);
        // The thread ends with the test process; it holds no child process.
        thread::spawn(move || {
            for stream in listener.incoming() {
                if let Err(error) = stream.and_then(|stream| forward(stream, upstream, &log)) {
                    eprintln!("tap: {error}");
                }
            }
        });
        Tap { base_url, exchanges }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The exchanges since the last call, oldest first.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.exchanges.lock().unwrap())
    }
}

/// Relays one request to Prism and its response back, recording the pair before the client
/// sees the response, so that a finished call always finds its exchange.
fn forward(client: TcpStream, upstream: u16, log: &Mutex<Vec<Exchange>>) -> io::Result<()> {
    let mut from_client = BufReader::new(client.try_clone()?);
    let request = read_message(&mut from_client, false)?;
    let mut server = TcpStream::connect((Ipv4Addr::LOCALHOST, upstream))?;
    server.write_all(&request.encode())?;
    let response = read_message(&mut BufReader::new(server), true)?;
    let media_type = request
        .header("content-type")
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_else(|| NO_BODY.to_owned());
    let encoded = response.encode();
    log.lock().unwrap().push(Exchange { media_type, response_body: response.body });
    (&client).write_all(&encoded)
}

/// An HTTP/1.1 message with its body already de-framed.
struct Message {
    start_line: String,
    /// Headers other than the framing and connection ones, which `encode` writes afresh.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    framed: bool,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = format!("{}\r\n", self.start_line);
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        if self.framed {
            out.push_str(&format!("content-length: {}\r\n", self.body.len()));
        }
        out.push_str("connection: close\r\n\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// Reads one message: `content-length` or chunked bodies, and for a response without either,
/// everything up to the end of the stream.
fn read_message(reader: &mut impl BufRead, response: bool) -> io::Result<Message> {
    let start_line = read_line(reader)?;
    let mut headers = Vec::new();
    let mut length = None;
    let mut chunked = false;
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) =
            line.split_once(':').ok_or_else(|| invalid(format!("bad header line {line:?}")))?;
        let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                length = Some(value.parse().map_err(|_| invalid(format!("bad length {value:?}")))?)
            }
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" | "keep-alive" => {}
            _ => headers.push((name, value)),
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let size_line = read_line(reader)?;
            let size = usize::from_str_radix(size_line.split(';').next().unwrap_or_default().trim(), 16)
                .map_err(|_| invalid(format!("bad chunk size {size_line:?}")))?;
            if size == 0 {
                while !read_line(reader)?.is_empty() {}
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            read_line(reader)?;
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else if response {
        reader.read_to_end(&mut body)?;
    }
    let framed = chunked || length.is_some() || (response && !body.is_empty());
    Ok(Message { start_line, headers, body, framed })
}

fn read_line(reader: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed mid-message"));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}
