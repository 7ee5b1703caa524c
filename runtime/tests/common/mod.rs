//! What the end-to-end tests share: a loopback HTTP/1.1 server written on
//! a raw socket (so that it can write an answer in pieces, pause, cut or
//! reset the connection, see the client close it, and record every request
//! byte for byte), and a TC3-HMAC-SHA256 verifier written apart from the
//! runtime's signer.

// Each test file uses a part of this module; what one leaves unused is
// used by another.
#![allow(dead_code)]

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencentcloud_runtime::{Client, Credentials, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The credentials the test clients sign with, and the verifier checks.
pub const SECRET_ID: &str = "AKIDstreamtest";
/// See [`SECRET_ID`].
pub const SECRET_KEY: &str = "stream-test-key";

// ---- The loopback server ----

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// Header names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lowercase), if the request had it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does, in order, once it has read a request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Writes these bytes as they are.
    Raw(Vec<u8>),
    /// Writes one chunk of a chunked body.
    Chunk(Vec<u8>),
    /// Waits.
    Sleep(u64),
    /// Waits until the test says to go on.
    Wait(Arc<Notify>),
    /// Resets the connection (RST), writing nothing more.
    Reset,
    /// Reads until the client closes the connection, then notes it.
    AwaitClose,
}

/// The head of a chunked `text/event-stream` answer.
pub fn stream_head() -> Step {
    Step::Raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
          X-TC-RequestId: rid-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec(),
    )
}

pub fn chunk(text: &str) -> Step {
    Step::Chunk(text.as_bytes().to_vec())
}

/// The end of a chunked body.
pub fn end() -> Step {
    Step::Raw(b"0\r\n\r\n".to_vec())
}

/// A whole answer of `status` with `content_type`.
pub fn whole(status: u16, content_type: &str, body: &str) -> Step {
    Step::Raw(
        format!(
            "HTTP/1.1 {status} Answer\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// What the server does with request n.
pub type Script = dyn Fn(usize) -> Vec<Step> + Send + Sync;

/// A loopback HTTP/1.1 server: for request n, it runs `script(n)`, then
/// closes the connection.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    /// Notified when an [`Step::AwaitClose`] sees the client close.
    pub closed: Arc<Notify>,
    accept: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Server {
    /// Listens on a free loopback port, answering request n with `script(n)`.
    pub async fn start(script: impl Fn(usize) -> Vec<Step> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(Notify::new());
        let script: Arc<Script> = Arc::new(script);
        let (seen, notify) = (requests.clone(), closed.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (script, seen, notify) = (script.clone(), seen.clone(), notify.clone());
                tokio::spawn(async move {
                    // A failing write is the client having gone: nothing to report.
                    let _ = serve(socket, &*script, &seen, &notify).await;
                });
            }
        });
        Server {
            url,
            requests,
            closed,
            accept,
        }
    }

    /// A client signing with the test credentials, calling this server,
    /// with the default retry policy (short backoffs) and no rate limit.
    pub fn client(&self) -> Client {
        self.client_with(RetryPolicy::default())
    }

    /// [`client`](Self::client), retrying under `retry` (short backoffs).
    pub fn client_with(&self, retry: RetryPolicy) -> Client {
        Client::builder()
            .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
            .endpoint_url(&self.url)
            .retry(
                retry
                    .initial_backoff(Duration::from_millis(10))
                    .max_backoff(Duration::from_millis(50)),
            )
            .rate_limit(false)
            .build()
            .unwrap()
    }

    /// The requests that arrived, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests arrived, once no more came for a while.
    pub async fn settled_count(&self) -> usize {
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.requests().len()
    }
}

async fn serve(
    mut socket: TcpStream,
    script: &Script,
    seen: &Mutex<Vec<Request>>,
    closed: &Notify,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut socket).await? else {
        return Ok(());
    };
    let index = {
        let mut seen = seen.lock().unwrap();
        seen.push(request);
        seen.len() - 1
    };
    for step in script(index) {
        match step {
            Step::Raw(bytes) => socket.write_all(&bytes).await?,
            Step::Chunk(bytes) => {
                let mut framed = format!("{:x}\r\n", bytes.len()).into_bytes();
                framed.extend_from_slice(&bytes);
                framed.extend_from_slice(b"\r\n");
                socket.write_all(&framed).await?;
            }
            Step::Sleep(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Step::Wait(go) => go.notified().await,
            Step::Reset => {
                socket.set_zero_linger()?;
                return Ok(());
            }
            Step::AwaitClose => {
                let mut buf = [0u8; 256];
                // EOF or a reset: either way the client closed it.
                while matches!(socket.read(&mut buf).await, Ok(1..)) {}
                closed.notify_one();
                return Ok(());
            }
        }
        socket.flush().await?;
    }
    socket.shutdown().await
}

async fn read_request(socket: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = socket.read(&mut piece).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&piece[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut request = Request {
        headers,
        body: buf[head_end + 4..].to_vec(),
    };
    let length: usize = request
        .header("content-length")
        .map_or(0, |v| v.parse().unwrap());
    while request.body.len() < length {
        let n = socket.read(&mut piece).await?;
        if n == 0 {
            break;
        }
        request.body.extend_from_slice(&piece[..n]);
    }
    Ok(Some(request))
}

// ---- TC3-HMAC-SHA256, checked independently of the runtime's signer ----

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of a
/// calendar from days; Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Checks the request's `Authorization` against Tencent's TC3 algorithm,
/// for a call of `service` to `host`: over the `Content-Type` the request
/// carries and the SHA-256 of the body that arrived.
pub fn verify_tc3(request: &Request, host: &str, service: &str) -> Result<(), String> {
    let header = |name: &str| request.header(name).ok_or(format!("no {name} header"));
    let auth = header("authorization")?;
    let fields = auth
        .strip_prefix("TC3-HMAC-SHA256 ")
        .ok_or(format!("not TC3: {auth}"))?;
    let field = |name: &str| {
        fields
            .split(", ")
            .find_map(|f| f.strip_prefix(name)?.strip_prefix('='))
            .ok_or(format!("no {name} in {auth}"))
    };
    let scope = field("Credential")?
        .strip_prefix(&format!("{SECRET_ID}/"))
        .ok_or("another secret id")?;
    let date = scope
        .strip_suffix(&format!("/{service}/tc3_request"))
        .ok_or(format!("scope {scope}"))?;
    if field("SignedHeaders")? != "content-type;host" {
        return Err(format!("signed headers in {auth}"));
    }
    let timestamp: i64 = header("x-tc-timestamp")?.parse().map_err(|_| "timestamp")?;
    let ymd: Vec<i64> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    if ymd.len() != 3 || days_from_civil(ymd[0], ymd[1], ymd[2]) != timestamp.div_euclid(86_400) {
        return Err(format!("date {date} is not the day of {timestamp}"));
    }
    if header("host")? != host {
        return Err(format!("host {:?}", header("host")));
    }
    let canonical = format!(
        "POST\n/\n\ncontent-type:{}\nhost:{host}\n\ncontent-type;host\n{}",
        header("content-type")?,
        sha256_hex(&request.body)
    );
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let key = hmac(format!("TC3{SECRET_KEY}").as_bytes(), date);
    let key = hmac(&key, service);
    let key = hmac(&key, "tc3_request");
    let expected = hex::encode(hmac(&key, &to_sign));
    if field("Signature")? != expected {
        return Err(format!("bad signature in {auth}"));
    }
    Ok(())
}
