//! One call of the generated client and the same call written directly with reqwest +
//! serde_json, against a local keep-alive HTTP server: shared by the `client` benchmark (time)
//! and `call-cost` (instructions, which do not move with the machine's load).

use infraon_client::Client;
use infraon_client::models::UserList;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const API_KEY: &str = "Token 0123456789abcdef";

pub fn user_json(index: usize) -> serde_json::Value {
    serde_json::json!({
        "profile_id": format!("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3d{index:04}"),
        "user": index,
        "profile": "Administrator",
        "creation_time": "2024-03-01T09:30:15.123456+05:30",
        "profile_image": format!("https://cdn.example.com/profiles/{index}.png"),
        "avatar": "AB",
        "email": format!("user{index}@example.com"),
        "name": format!("User Number {index}"),
        "is_active": index % 3 != 0,
        "last_loggged_in": "2024-05-06 10:11:12",
        "customer_id": [index, index + 1],
        "customer_entity_id": [],
        "actual_username": format!("user{index}"),
        "is_multiple_customer_user": false,
        "is_profile_image": true,
    })
}

/// A minimal HTTP/1.1 server answering every request with `body`, keeping connections open.
/// It runs on its own thread and runtime, so it does not compete with the client's executor.
pub fn serve(body: Vec<u8>) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            let response: std::sync::Arc<[u8]> = [head.as_bytes(), &body].concat().into();
            loop {
                let (mut stream, _) = listener.accept().await.unwrap();
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buffer = Vec::with_capacity(4096);
                    let mut chunk = [0; 4096];
                    loop {
                        // Requests here carry no body: a request ends at the blank line.
                        while let Some(end) = buffer.windows(4).position(|it| it == b"\r\n\r\n") {
                            buffer.drain(..end + 4);
                            if stream.write_all(&response).await.is_err() {
                                return;
                            }
                        }
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                        }
                    }
                });
            }
        });
    });
    format!("http://{}", receiver.recv().unwrap())
}

pub async fn generated_call(client: &Client) -> UserList {
    client.user_profile().get("42").await.unwrap()
}

pub async fn direct_call(http: &reqwest::Client, base: &str) -> UserList {
    let response = http
        .get(format!("{base}/ux/common/user/profile/{}/", "42"))
        .header(reqwest::header::AUTHORIZATION, API_KEY)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let body = response.bytes().await.unwrap();
    serde_json::from_slice(&body).unwrap()
}
