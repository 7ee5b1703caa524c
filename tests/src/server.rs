//! A scriptable HTTP/1.1 server on 127.0.0.1 for end-to-end tests of the HTTP client.
//!
//! It is written on a raw [`TcpListener`] rather than a server library because the tests need
//! misbehaviour (truncated bodies, resets, silent closes) that a well-behaved library will not produce.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request as the server received it, so tests can assert on what the client sent.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The request method, e.g. `POST`.
    pub method: String,
    /// The request target, e.g. `/`.
    pub path: String,
    /// Header names lowercased, values trimmed, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The request body, exactly Content-Length bytes.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive), because header names are case-insensitive in HTTP.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request; each variant exists to provoke one client behaviour.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A complete response: status, Content-Type: application/json, Content-Length, body.
    Json { status: u16, body: String },
    /// A complete response with content type text/html (for "HTTP 500 with an HTML page").
    Text { status: u16, body: String },
    /// Declares Content-Length `declared` but sends only `body`, then closes the connection.
    Truncated { declared: usize, body: String },
    /// Waits `delay` before sending `then` (a slow server); a failing write afterwards is fine.
    Slow { delay: Duration, then: Box<Answer> },
    /// `then` with these headers too (after its own); for a `Json`, `Text`,
    /// `Bytes`, `Truncated` or `ResetMidBody` answer (others ignore them).
    Headed {
        headers: Vec<(String, String)>,
        then: Box<Answer>,
    },
    /// Reads the request, then closes the connection without writing anything.
    Close,
    /// Sends the head and half the body, then resets the connection (zero SO_LINGER).
    ResetMidBody { body: String },
    /// A 200 response whose body is the given raw bytes (e.g. invalid UTF-8), content type application/json.
    Bytes(Vec<u8>),
    /// A 200 response with `Content-Encoding: gzip`; `body` is already compressed.
    Gzip(Arc<Vec<u8>>),
    /// Sends the head and half the body, then goes silent for `stall` before closing.
    StallMidBody { body: String, stall: Duration },
    /// A 200 JSON envelope of `len` bytes, streamed in small pieces so the server holds none of it;
    /// with `declare_length` false there is no Content-Length and the body ends when the connection closes.
    Huge { len: usize, declare_length: bool },
    /// A redirect: `status` (301, 302, 307, 308) with `Location: location` and a short text body.
    Redirect { status: u16, location: String },
    /// A 200 `text/event-stream` answer, as Hunyuan's: `chunks` written one
    /// at a time (chunked transfer encoding), `gap` apart, with
    /// `X-TC-RequestId: request_id`; then `end`.
    EventStream(EventStream),
}

/// A Server-Sent Events answer ([`Answer::EventStream`]).
#[derive(Debug, Clone)]
pub struct EventStream {
    /// The body's pieces, each written as one chunk.
    pub chunks: Vec<Vec<u8>>,
    /// The pause before each chunk after the first.
    pub gap: Duration,
    /// The `X-TC-RequestId` header.
    pub request_id: String,
    /// How the answer ends.
    pub end: StreamEnd,
    /// Set when a write fails because the client went away: the client
    /// closed the connection before the stream ended.
    pub client_gone: Arc<std::sync::atomic::AtomicBool>,
}

/// How an [`EventStream`] answer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// The last chunk, then the end of the body; the connection stays open.
    Finish,
    /// The connection is reset after the chunks, without ending the body.
    Reset,
}

/// What the server does with a request: `Ok(answer)`, or `Err(reason)` when
/// the request fails the server's check.
type Handler = dyn Fn(&Recorded, usize) -> Result<Answer, String> + Send + Sync;

/// A running test server; it serves until dropped, so each test owns its server's lifetime.
///
/// A request that fails the server's check ([`start_checked`](Self::start_checked)), or
/// whose script panics (an assertion inside the script), is answered with an error and
/// recorded as a failure; dropping a server with failures that no one took
/// ([`take_failures`](Self::take_failures)) fails the test, so an assertion inside the
/// server cannot be lost as a retried "connection closed".
pub struct TestServer {
    port: u16,
    log: Arc<Log>,
    accept: JoinHandle<()>,
}

/// What the server has received: a count, and the requests themselves unless
/// it was started by [`TestServer::start_unrecorded`].
struct Log {
    record: bool,
    requests: Mutex<Vec<Recorded>>,
    count: std::sync::atomic::AtomicUsize,
    /// Requests that failed the check or made the script panic, with why.
    failures: Mutex<Vec<String>>,
}

impl Answer {
    /// A 200 JSON answer with `body`.
    pub fn ok(body: &str) -> Answer {
        Answer::Json {
            status: 200,
            body: body.to_owned(),
        }
    }
}

impl Log {
    /// Notes one request; returns its 0-based index.
    fn note(&self, request: &Recorded) -> usize {
        if self.record {
            lock(&self.requests).push(request.clone());
        }
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    }

    fn fail(&self, failure: String) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(failure);
    }
}

/// The answer to a request that failed the server's check: a service error
/// (`TestServer.CheckFailed`, with the reason as its message), which no
/// client retries.
fn rejected(reason: &str) -> Answer {
    let body = serde_json::json!({"Response": {
        "Error": {"Code": "TestServer.CheckFailed", "Message": reason},
        "RequestId": "test-server-check",
    }});
    Answer::ok(&body.to_string())
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

impl TestServer {
    /// A runtime client builder sending to this server with these
    /// credentials, retrying after 10 ms instead of 200 ms, and waiting at
    /// most 100 ms before a retry (a rate-limited call included, which would
    /// otherwise wait past the one-second quota window), so that retry tests
    /// stay fast.
    pub fn client_builder(
        &self,
        secret_id: &str,
        secret_key: &str,
    ) -> tencentcloud_runtime::ClientBuilder {
        tencentcloud_runtime::Client::builder()
            .credentials(tencentcloud_runtime::Credentials::new(
                secret_id, secret_key,
            ))
            .endpoint_url(self.url())
            .retry(
                tencentcloud_runtime::RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(10))
                    .max_backoff(Duration::from_millis(100)),
            )
    }

    /// Binds 127.0.0.1:0 and serves until dropped. `script` is called for every request with the request
    /// and its 0-based index among all requests this server received, and decides the answer.
    pub async fn start<F>(script: F) -> TestServer
    where
        F: Fn(&Recorded, usize) -> Answer + Send + Sync + 'static,
    {
        let handler = |_: String| -> Arc<Handler> { Arc::new(move |r, i| Ok(script(r, i))) };
        Self::start_logging(handler, true).await
    }

    /// [`start`](Self::start), checking every request first with `check`, which
    /// is given the request and this server's `127.0.0.1:PORT` (the Host the
    /// client must send). A request that fails the check is not shown to
    /// `script`: it is answered with a `TestServer.CheckFailed` service error
    /// and recorded as a failure, which fails the test when the server is
    /// dropped unless taken with [`take_failures`](Self::take_failures).
    pub async fn start_checked<C, F>(check: C, script: F) -> TestServer
    where
        C: Fn(&Recorded, &str) -> Result<(), String> + Send + Sync + 'static,
        F: Fn(&Recorded, usize) -> Answer + Send + Sync + 'static,
    {
        let handler = |host: String| -> Arc<Handler> {
            Arc::new(move |request, index| {
                check(request, &host)?;
                Ok(script(request, index))
            })
        };
        Self::start_logging(handler, true).await
    }

    /// [`start`](Self::start), keeping only the count of requests, not the
    /// requests: for benchmarks, where a server that remembers every request
    /// would grow by the megabyte and slow down the longer it runs.
    pub async fn start_unrecorded<F>(script: F) -> TestServer
    where
        F: Fn(&Recorded, usize) -> Answer + Send + Sync + 'static,
    {
        let handler = |_: String| -> Arc<Handler> { Arc::new(move |r, i| Ok(script(r, i))) };
        Self::start_logging(handler, false).await
    }

    /// Serves with the handler `make` builds for this server's `127.0.0.1:PORT`.
    async fn start_logging(make: impl FnOnce(String) -> Arc<Handler>, record: bool) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding an ephemeral port on the loopback interface succeeds");
        let port = listener
            .local_addr()
            .expect("a bound listener has a local address")
            .port();
        let log = Arc::new(Log {
            record,
            requests: Mutex::new(Vec::new()),
            count: Default::default(),
            failures: Mutex::default(),
        });
        let script = make(format!("127.0.0.1:{port}"));
        let shared = Arc::clone(&log);
        let accept = accept_each(listener, move |stream| {
            serve(stream, Arc::clone(&shared), Arc::clone(&script))
        });
        TestServer { port, log, accept }
    }

    /// The base URL, `http://127.0.0.1:PORT`, to point the client under test at.
    pub fn url(&self) -> String {
        format!("http://{}", self.host())
    }

    /// `127.0.0.1:PORT`, the value the client is expected to send (and sign) as Host.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// All requests received so far, each recorded once its body was fully read, before answering
    /// (none for a server started by [`start_unrecorded`](Self::start_unrecorded)).
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.log.requests).clone()
    }

    /// Number of requests received so far, to check retries and their absence.
    pub fn count(&self) -> usize {
        self.log.count.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The failures found so far (requests that failed the check, scripts
    /// that panicked), which the server then forgets: for a test that
    /// expects some.
    pub fn take_failures(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.failures.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept.abort();
        let failures = self.take_failures();
        // Panicking while the test already panics would abort the process.
        if !failures.is_empty() && !std::thread::panicking() {
            panic!(
                "the test server at {} found {} problem(s):\n{}",
                self.host(),
                failures.len(),
                failures.join("\n")
            );
        }
    }
}

/// A port on 127.0.0.1 that refuses connections: bound, never listening. While
/// it is held no one else can bind it (unlike a port bound, dropped and dialled
/// again, which another test may have taken in between).
pub struct RefusingPort {
    _socket: tokio::net::TcpSocket,
    port: u16,
}

impl RefusingPort {
    /// Binds an ephemeral port without listening on it.
    pub fn bind() -> RefusingPort {
        let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket can be created");
        socket
            .bind("127.0.0.1:0".parse().expect("a socket address"))
            .expect("binding an ephemeral port on the loopback interface succeeds");
        let port = socket
            .local_addr()
            .expect("a bound socket has a local address")
            .port();
        RefusingPort {
            _socket: socket,
            port,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn lock(m: &Mutex<Vec<Recorded>>) -> std::sync::MutexGuard<'_, Vec<Recorded>> {
    // A poisoned lock only means a test thread panicked; the recorded list itself is still valid.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Serves one connection until the client leaves, a request is malformed or an answer ends it.
async fn serve(mut stream: TcpStream, log: Arc<Log>, script: Arc<Handler>) {
    let mut buf = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        let index = log.note(&request);
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| script(&request, index)));
        let answer = match outcome {
            Ok(Ok(answer)) => answer,
            Ok(Err(reason)) => {
                log.fail(format!("request {index} failed the check: {reason}"));
                rejected(&reason)
            }
            Err(panic) => {
                let message = panic_message(&*panic);
                log.fail(format!("the script panicked at request {index}: {message}"));
                Answer::Text {
                    status: 500,
                    body: format!("test server: the script panicked: {message}"),
                }
            }
        };
        let wants_close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        match respond(&mut stream, answer).await {
            Ok(true) if !wants_close => {}
            _ => return,
        }
    }
}

/// Reads one request, keeping any bytes past it in `buf`; `None` on EOF, I/O error or anything malformed.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD || !fill(stream, buf).await {
            return None;
        }
    };
    if head_end > MAX_HEAD {
        return None;
    }
    let head = std::str::from_utf8(&buf[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, path, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || method.is_empty() || !version.starts_with("HTTP/1.") {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        if name.is_empty() || name.contains(' ') {
            return None;
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    if headers.iter().any(|(n, _)| n == "transfer-encoding") {
        return None;
    }
    let lengths: Vec<usize> = headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().ok())
        .collect::<Option<_>>()?;
    let length = lengths.first().copied().unwrap_or(0);
    if length > MAX_BODY || lengths.iter().any(|&l| l != length) {
        return None;
    }
    let (method, path) = (method.to_owned(), path.to_owned());
    let end = head_end + 4 + length;
    while buf.len() < end {
        if !fill(stream, buf).await {
            return None;
        }
    }
    let body = buf.drain(..end).skip(head_end + 4).collect();
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

/// Appends what the socket has to `buf`; false on EOF or error.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    buf.reserve(8192);
    matches!(stream.read_buf(buf).await, Ok(n) if n > 0)
}

/// Carries out `answer`; Ok(true) when the connection may serve another request.
async fn respond(stream: &mut TcpStream, mut answer: Answer) -> std::io::Result<bool> {
    let mut extra = String::new();
    loop {
        match answer {
            Answer::Slow { delay, then } => {
                tokio::time::sleep(delay).await;
                answer = *then;
            }
            Answer::Headed { headers, then } => {
                for (name, value) in headers {
                    extra.push_str(&format!("{name}: {value}\r\n"));
                }
                answer = *then;
            }
            _ => break,
        }
    }
    match answer {
        Answer::Gzip(body) => return gzip(stream, &body).await,
        Answer::StallMidBody { body, stall } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body.as_bytes()[..body.len() / 2]).await?;
            stream.flush().await?;
            tokio::time::sleep(stall).await;
            return Ok(false);
        }
        Answer::Huge {
            len,
            declare_length,
        } => return huge(stream, len, declare_length).await,
        Answer::Redirect { status, location } => return redirect(stream, status, &location).await,
        Answer::EventStream(events) => return event_stream(stream, events).await,
        other => answer = other,
    }
    let json = "application/json";
    // (status, content type, declared length, body, keep alive, reset after half the body)
    let (status, content_type, declared, body, keep, reset) = match answer {
        Answer::Json { status, body } => (status, json, None, body.into_bytes(), true, false),
        Answer::Text { status, body } => {
            let html = "text/html; charset=utf-8";
            (status, html, None, body.into_bytes(), true, false)
        }
        Answer::Bytes(body) => (200, json, None, body, true, false),
        Answer::Truncated { declared, body } => {
            (200, json, Some(declared), body.into_bytes(), false, false)
        }
        Answer::ResetMidBody { body } => (200, json, None, body.into_bytes(), false, true),
        // Slow and Headed cannot occur here: the loop above unwrapped them; the others were answered above.
        Answer::Close
        | Answer::Slow { .. }
        | Answer::Headed { .. }
        | Answer::Gzip(_)
        | Answer::StallMidBody { .. }
        | Answer::Huge { .. }
        | Answer::Redirect { .. }
        | Answer::EventStream(_) => return Ok(false),
    };
    let reason = match status {
        200 => "OK",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let length = declared.unwrap_or(body.len());
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n{extra}\r\n"
    )
    .into_bytes();
    out.extend_from_slice(&body[..if reset { body.len() / 2 } else { body.len() }]);
    stream.write_all(&out).await?;
    stream.flush().await?;
    if reset {
        // Zero linger makes dropping the stream send RST instead of FIN.
        stream.set_zero_linger()?;
    } else if !keep {
        stream.shutdown().await?;
    }
    Ok(keep)
}

async fn redirect(stream: &mut TcpStream, status: u16, location: &str) -> std::io::Result<bool> {
    let body = format!("moved to {location}");
    let head = format!(
        "HTTP/1.1 {status} Redirect\r\nLocation: {location}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.flush().await?;
    Ok(true)
}

/// Writes an [`EventStream`] answer; a failed write marks the client gone.
async fn event_stream(stream: &mut TcpStream, events: EventStream) -> std::io::Result<bool> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-TC-RequestId: {}\r\nTransfer-Encoding: chunked\r\n\r\n",
        events.request_id
    );
    let gone = || {
        events
            .client_gone
            .store(true, std::sync::atomic::Ordering::SeqCst)
    };
    if stream.write_all(head.as_bytes()).await.is_err() {
        gone();
        return Ok(false);
    }
    for (i, chunk) in events.chunks.iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(events.gap).await;
        }
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(chunk);
        framed.extend_from_slice(b"\r\n");
        if stream.write_all(&framed).await.is_err() || stream.flush().await.is_err() {
            gone();
            return Ok(false);
        }
    }
    match events.end {
        StreamEnd::Finish => {
            stream.write_all(b"0\r\n\r\n").await?;
            stream.flush().await?;
            Ok(true)
        }
        StreamEnd::Reset => {
            stream.set_zero_linger()?;
            Ok(false)
        }
    }
}

async fn gzip(stream: &mut TcpStream, body: &[u8]) -> std::io::Result<bool> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await?;
    Ok(true)
}

/// `{"Response":{"RequestId":"huge","Pad":"xxx…"}}`, exactly `len` bytes (at least 50).
async fn huge(stream: &mut TcpStream, len: usize, declare_length: bool) -> std::io::Result<bool> {
    const START: &str = r#"{"Response":{"RequestId":"huge","Pad":""#;
    const END: &str = r#""}}"#;
    let length = if declare_length {
        format!("Content-Length: {len}\r\n")
    } else {
        "Connection: close\r\n".to_owned()
    };
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(START.as_bytes()).await?;
    let piece = [b'x'; 16 * 1024];
    let mut left = len.saturating_sub(START.len() + END.len());
    while left > 0 {
        let n = left.min(piece.len());
        stream.write_all(&piece[..n]).await?;
        left -= n;
    }
    stream.write_all(END.as_bytes()).await?;
    stream.flush().await?;
    if !declare_length {
        stream.shutdown().await?;
    }
    Ok(declare_length)
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], msg: &str) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// UTC `YYYY-MM-DD` of a Unix timestamp (Hinnant's civil_from_days).
fn utc_date(timestamp: i64) -> String {
    let z = timestamp.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Checks the request's TC3-HMAC-SHA256 Authorization header, written from Tencent's spec independently
/// of the SDK so that the client's signing is checked rather than re-derived. Ok(()) when valid;
/// Err(reason) naming the first thing that differs.
pub fn verify_tc3(
    request: &Recorded,
    secret_id: &str,
    secret_key: &str,
    service: &str,
) -> Result<(), String> {
    let header = |name: &str| {
        request
            .header(name)
            .ok_or_else(|| format!("missing header {name}"))
    };
    let auth = header("authorization")?;
    let rest = auth
        .strip_prefix("TC3-HMAC-SHA256 ")
        .ok_or_else(|| format!("authorization algorithm is not TC3-HMAC-SHA256: {auth}"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim) {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("unexpected authorization part {part:?}")),
        }
    }
    let credential = credential.ok_or("authorization lacks Credential")?;
    let signed = signed.ok_or("authorization lacks SignedHeaders")?;
    let signature = signature.ok_or("authorization lacks Signature")?;

    let timestamp = header("x-tc-timestamp")?;
    let seconds: i64 = timestamp
        .parse()
        .map_err(|_| format!("X-TC-Timestamp is not an integer: {timestamp}"))?;
    let date = utc_date(seconds);

    let scope: Vec<&str> = credential.split('/').collect();
    let [id, scope_date, scope_service, terminator] = scope[..] else {
        return Err(format!(
            "credential is not id/date/service/tc3_request: {credential}"
        ));
    };
    for (what, got, want) in [
        ("credential id", id, secret_id),
        ("credential date", scope_date, date.as_str()),
        ("credential service", scope_service, service),
        ("credential terminator", terminator, "tc3_request"),
        ("signed headers", signed, "content-type;host"),
    ] {
        if got != want {
            return Err(format!("{what} {got:?} != expected {want:?}"));
        }
    }
    let canonical = format!(
        "POST\n/\n\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{}",
        header("content-type")?,
        header("host")?,
        sha256_hex(&request.body)
    );
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let k_date = hmac(format!("TC3{secret_key}").as_bytes(), &date);
    let k_service = hmac(&k_date, service);
    let k_signing = hmac(&k_service, "tc3_request");
    let expected = hex::encode(hmac(&k_signing, &to_sign));
    if signature != expected {
        return Err(format!("signature {signature} != expected {expected}"));
    }
    Ok(())
}

/// Accepts every connection to `listener` and handles each in a task of
/// its own (`handle`), until the returned task is aborted: the connection
/// tasks belong to it, so aborting it ends them all.
pub fn accept_each<F, Fut>(listener: TcpListener, handle: F) -> tokio::task::JoinHandle<()>
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            while connections.try_join_next().is_some() {}
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            connections.spawn(handle(stream));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    fn example() -> Recorded {
        let sig = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";
        let auth = format!(
            "TC3-HMAC-SHA256 Credential={ID}/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, Signature={sig}"
        );
        let headers = [
            ("authorization", auth.as_str()),
            ("content-type", "application/json; charset=utf-8"),
            ("host", "cvm.tencentcloudapi.com"),
            ("x-tc-timestamp", "1551113065"),
        ];
        Recorded {
            method: "POST".into(),
            path: "/".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#.to_vec(),
        }
    }

    #[test]
    fn tc3_matches_published_example() {
        let mut request = example();
        assert_eq!(verify_tc3(&request, ID, KEY, "cvm"), Ok(()));
        assert!(verify_tc3(&request, ID, KEY, "cbs").is_err());
        assert!(verify_tc3(&request, "AKIDother", KEY, "cvm").is_err());
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        request.body[1] = b'x';
        let err = verify_tc3(&request, ID, KEY, "cvm").expect_err("a changed body byte");
        assert!(err.contains("signature"), "{err}");
    }

    /// Connects to `server` and sends one POST with `body`.
    async fn open(server: &TestServer, body: &str) -> TcpStream {
        let mut stream = TcpStream::connect(server.host()).await.expect("connect");
        send(&mut stream, &server.host(), body).await;
        stream
    }

    async fn send(stream: &mut TcpStream, host: &str, body: &str) {
        let len = body.len();
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {host}\r\nX-Custom:  Value \r\nContent-Length: {len}\r\n\r\n{body}"
        );
        stream.write_all(request.as_bytes()).await.expect("write");
    }

    /// Reads one Content-Length response: (head, body).
    async fn read_response(stream: &mut TcpStream) -> (String, Vec<u8>) {
        let mut buf = Vec::new();
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            assert!(fill(stream, &mut buf).await, "EOF inside the head");
        };
        let head = String::from_utf8(buf[..end].to_vec()).expect("ASCII head");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: ")?.parse().ok())
            .expect("a numeric Content-Length");
        while buf.len() < end + length {
            assert!(fill(stream, &mut buf).await, "EOF inside the body");
        }
        (head, buf[end..].to_vec())
    }

    #[tokio::test]
    async fn keep_alive_and_recording() {
        let server = TestServer::start(|_, i| Answer::Json {
            status: 200,
            body: format!("{{\"n\":{i}}}"),
        })
        .await;
        let mut stream = open(&server, "first").await;
        for i in 0..2 {
            if i == 1 {
                send(&mut stream, &server.host(), "second").await;
            }
            let (head, got) = read_response(&mut stream).await;
            assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
            assert!(head.contains("Content-Type: application/json\r\n"));
            assert_eq!(got, format!("{{\"n\":{i}}}").as_bytes());
        }
        assert_eq!(server.count(), 2);
        let recorded = server.requests();
        assert_eq!(
            (recorded[0].method.as_str(), recorded[0].path.as_str()),
            ("POST", "/")
        );
        assert_eq!(recorded[1].body, b"second");
        assert_eq!(recorded[0].headers[1], ("x-custom".into(), "Value".into()));
        assert_eq!(recorded[0].header("HOST"), Some(server.host().as_str()));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn truncated_body_then_eof() {
        let body = "{\"partial\"".to_owned();
        let server = TestServer::start(move |_, _| Answer::Truncated {
            declared: 100,
            body: body.clone(),
        })
        .await;
        let mut all = Vec::new();
        let mut stream = open(&server, "{}").await;
        stream.read_to_end(&mut all).await.expect("clean EOF");
        let text = String::from_utf8(all).expect("ASCII");
        assert!(text.contains("Content-Length: 100\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n{\"partial\""), "{text}");
    }

    #[tokio::test]
    async fn close_without_bytes() {
        let server = TestServer::start(|_, _| Answer::Close).await;
        let mut all = Vec::new();
        let _ = open(&server, "{}").await.read_to_end(&mut all).await;
        assert!(all.is_empty());
        assert_eq!(server.count(), 1);
    }

    #[tokio::test]
    async fn slow_answer_arrives_after_delay() {
        let delay = Duration::from_millis(300);
        let server = TestServer::start(move |_, _| Answer::Slow {
            delay,
            then: Box::new(Answer::Text {
                status: 500,
                body: "<html>oops</html>".into(),
            }),
        })
        .await;
        let started = Instant::now();
        let (head, body) = read_response(&mut open(&server, "{}").await).await;
        assert!(started.elapsed() >= delay);
        assert!(
            head.starts_with("HTTP/1.1 500 ") && head.contains("text/html"),
            "{head}"
        );
        assert_eq!(body, b"<html>oops</html>");
    }

    #[tokio::test]
    async fn reset_mid_body() {
        let body = "0123456789".into();
        let server = TestServer::start(move |_, _| Answer::ResetMidBody {
            body: String::clone(&body),
        })
        .await;
        let mut all = Vec::new();
        let result = open(&server, "{}").await.read_to_end(&mut all).await;
        // A reset, not a clean close (which read_to_end reports as Ok), after
        // the head and half of the body.
        let err = result.expect_err("the connection is reset, not closed");
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset, "{err}");
        let text = String::from_utf8(all).expect("ASCII");
        assert!(
            text.contains("Content-Length: 10\r\n") && text.ends_with("\r\n\r\n01234"),
            "{text:?}"
        );
    }

    #[tokio::test]
    async fn a_clean_close_is_not_taken_for_a_reset() {
        // What `reset_mid_body` must tell apart: the same bytes, then FIN.
        let server = TestServer::start(|_, _| Answer::Truncated {
            declared: 10,
            body: "01234".into(),
        })
        .await;
        let mut all = Vec::new();
        let result = open(&server, "{}").await.read_to_end(&mut all).await;
        assert!(result.is_ok(), "{result:?}");
        assert!(String::from_utf8(all).unwrap().ends_with("\r\n\r\n01234"));
    }

    #[tokio::test]
    async fn a_failed_check_or_a_panicking_script_is_answered_and_recorded() {
        let server = TestServer::start_checked(
            |request, host| {
                assert_eq!(request.header("host"), Some(host));
                match request.body.as_slice() {
                    b"bad" => Err("a bad body".to_owned()),
                    _ => Ok(()),
                }
            },
            |request, _| {
                assert_ne!(request.body, b"boom", "the script's own assertion");
                Answer::ok("{}")
            },
        )
        .await;
        let (head, body) = read_response(&mut open(&server, "fine").await).await;
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert_eq!(body, b"{}");
        assert!(server.take_failures().is_empty());

        let (head, body) = read_response(&mut open(&server, "bad").await).await;
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains("TestServer.CheckFailed") && body.contains("a bad body"),
            "{body}"
        );
        let (head, _) = read_response(&mut open(&server, "boom").await).await;
        assert!(head.starts_with("HTTP/1.1 500 "), "{head}");
        let failures = server.take_failures();
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(failures[0].contains("a bad body"), "{failures:?}");
        assert!(
            failures[1].contains("the script's own assertion"),
            "{failures:?}"
        );
        assert_eq!(server.count(), 3);
    }

    #[tokio::test]
    async fn a_server_dropped_with_failures_fails_the_test() {
        let server = TestServer::start(|_, _| panic!("an assertion in the script")).await;
        let (head, _) = read_response(&mut open(&server, "{}").await).await;
        assert!(head.starts_with("HTTP/1.1 500 "), "{head}");
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(server)));
        let message = dropped.expect_err("dropping the server panics");
        let message = panic_message(&*message);
        assert!(message.contains("an assertion in the script"), "{message}");
    }

    #[tokio::test]
    async fn a_refusing_port_refuses() {
        let port = RefusingPort::bind();
        let address = port.url().trim_start_matches("http://").to_owned();
        for _ in 0..2 {
            let err = TcpStream::connect(&address).await.expect_err("refused");
            assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused, "{err}");
        }
    }
}
