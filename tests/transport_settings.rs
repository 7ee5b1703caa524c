//! The connection settings of issue #29 end to end, against stand-ins on
//! 127.0.0.1: a private CA's root certificate (a TLS front, with a
//! certificate that CA signed, before a plain test server), an explicit
//! proxy and its `no_proxy` exceptions, the environment's proxy and the
//! switch that turns it off, the user's own `reqwest::Client`, and the
//! credential providers' own requests (STS through the client's proxy, the
//! metadata service directly, over HTTPS with the client's roots).
//!
//! A proxy stand-in is a [`TestServer`] that answers like the API: an HTTP
//! proxy gets an `http://` URL's request in absolute form
//! (`POST http://127.0.0.1:PORT/ HTTP/1.1`), so its recorded path names the
//! host the call was for.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use sdk_tests::server::{accept_each, verify_tc3, Answer, Recorded, RefusingPort, TestServer};
use sdk_tests::unix_in;
use std::sync::Arc;
use tencentcloud_runtime::credentials::{CvmRoleProvider, RoleArnProvider};
use tencentcloud_runtime::{
    Client, ClientBuilder, Credentials, Error, RetryPolicy, TransportError, TransportErrorKind,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{crypto::ring, ServerConfig};
use tokio_rustls::TlsAcceptor;

const ID: &str = "AKIDtransportEXAMPLE";
const KEY: &str = "transportSecretKeyEXAMPLE";
const OK: &str = r#"{"Response":{"RequestId":"transport-settings"}}"#;
const ROLE: &str = "cvm-reader";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/reader";
const TMP_ID: &str = "AKIDtmpEXAMPLE";
const TMP_KEY: &str = "tmpSecretKeyEXAMPLE";
const TMP_TOKEN: &str = "tmpSessionTokenEXAMPLE";
const METADATA_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// A client builder with fixed credentials, sending to `url`, trying each
/// call once, and ignoring the environment's proxies (set only in
/// [`env_proxy_child`]'s process of its own).
fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(ID, KEY))
        .endpoint_url(url)
        .retry(RetryPolicy::never())
        .env_proxy(false)
}

/// One call, `lcic` `DescribeRoom`, through `client`.
async fn call(client: &Client) -> Result<serde_json::Value, Error<String>> {
    let body = serde_json::json!({"RoomId": 1});
    client
        .call_json("lcic", "2022-08-17", "DescribeRoom", &body)
        .await
}

/// The transport error of a failed call.
fn transport_error(outcome: Result<serde_json::Value, Error<String>>) -> TransportError {
    match outcome {
        Err(Error::Transport { source, .. }) => source,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// The one request `server` received.
fn only_request(server: &TestServer) -> Recorded {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

/// Asserts that `request` is the signed `DescribeRoom` call for `host`.
fn assert_signed_call(request: &Recorded, host: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("host"), Some(host), "{request:#?}");
    assert_eq!(request.header("x-tc-action"), Some("DescribeRoom"));
    let auth = request.header("authorization").unwrap_or_default();
    assert!(auth.starts_with("TC3-HMAC-SHA256 "), "{auth}");
    verify_tc3(request, ID, KEY, "lcic").expect("the call is signed with the client's keys");
}

// ---------------------------------------------------------------------------
// A private CA and a TLS stand-in

/// A CA made for one test, and a server configuration whose certificate
/// (for 127.0.0.1) it signed.
struct PrivateCa {
    root_pem: String,
    server: Arc<ServerConfig>,
}

impl PrivateCa {
    fn new(name: &str) -> PrivateCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("no names");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().expect("rcgen makes a key pair");
        let ca = CertifiedIssuer::self_signed(params, ca_key).expect("rcgen signs the CA");
        let server_key = KeyPair::generate().expect("rcgen makes a key pair");
        let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .expect("an IP address is a valid name")
            .signed_by(&server_key, &ca)
            .expect("the CA signs the server's certificate");
        let key = PrivateKeyDer::from(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let server = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![server_cert.der().clone()], key)
            .expect("the certificate matches its key");
        PrivateCa {
            root_pem: ca.pem(),
            server: Arc::new(server),
        }
    }
}

/// HTTPS on 127.0.0.1 in front of a [`TestServer`]: each connection's TLS
/// handshake is made with the [`PrivateCa`]'s certificate, then its bytes
/// go to and from the server. A failed handshake reaches nothing.
struct TlsFront {
    port: u16,
    accept: JoinHandle<()>,
}

impl TlsFront {
    async fn start(ca: &PrivateCa, backend: &TestServer) -> TlsFront {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding an ephemeral loopback port succeeds");
        let port = listener.local_addr().expect("a local address").port();
        let acceptor = TlsAcceptor::from(Arc::clone(&ca.server));
        let backend = backend.host();
        let accept = accept_each(listener, move |stream| {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut plain = TcpStream::connect(&backend)
                    .await
                    .expect("the test server listens");
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            }
        });
        TlsFront { port, accept }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn url(&self) -> String {
        format!("https://{}", self.host())
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

#[tokio::test]
async fn a_server_signed_by_a_private_ca_is_trusted_once_its_root_is_added() {
    let ca = PrivateCa::new("transport_settings private CA");
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let front = TlsFront::start(&ca, &api).await;
    let client = builder(&front.url())
        .add_root_certificates_pem(ca.root_pem.clone())
        .build()
        .expect("the root certificate is valid PEM");
    let answer = call(&client).await.expect("the call succeeds over TLS");
    assert_eq!(answer["RequestId"], "transport-settings");
    let request = only_request(&api);
    assert_eq!(request.path, "/");
    assert_signed_call(&request, &front.host());
}

#[tokio::test]
async fn without_the_private_ca_s_root_the_handshake_fails_and_nothing_is_sent() {
    let ca = PrivateCa::new("transport_settings private CA");
    let other = PrivateCa::new("another CA");
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let front = TlsFront::start(&ca, &api).await;
    let without = builder(&front.url()).build().expect("default settings");
    let wrong_root = builder(&front.url())
        .add_root_certificates_pem(other.root_pem.clone())
        .build()
        .expect("the other root certificate is valid PEM");
    for client in [without, wrong_root] {
        let err = transport_error(call(&client).await);
        assert_eq!(err.kind(), TransportErrorKind::NotSent, "{err}");
        let message = err.to_string();
        assert!(
            message.starts_with("cannot connect: TLS handshake failed: invalid peer certificate: UnknownIssuer (signed by a private CA? trust it with `add_root_certificates_pem`)"),
            "{message}"
        );
    }
    assert_eq!(api.count(), 0, "a request got past a failed handshake");
}

#[test]
fn a_bad_root_certificate_bundle_is_a_build_error() {
    let err = Client::builder()
        .credentials(Credentials::new(ID, KEY))
        .add_root_certificates_pem(
            "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n",
        )
        .build()
        .expect_err("the bundle holds no certificate");
    assert!(
        matches!(
            &err,
            tencentcloud_runtime::BuildError::Http(
                tencentcloud_runtime::HttpSetupError::RootCertificates { index: 0, .. }
            )
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(
            "root certificate bundle 0: certificate 0 (from 0) cannot be a root certificate: "
        ),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Proxies

#[tokio::test]
async fn an_explicit_proxy_carries_every_call_but_those_to_its_no_proxy_hosts() {
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let proxy = TestServer::start(|_, _| Answer::ok(OK)).await;
    let proxied = |no_proxy: Option<&str>| {
        let builder = builder(&api.url()).proxy(proxy.url());
        match no_proxy {
            Some(hosts) => builder.no_proxy(hosts),
            None => builder,
        }
        .build()
        .expect("the proxy URL is valid")
    };

    call(&proxied(None)).await.expect("the proxy answers");
    let request = only_request(&proxy);
    assert_eq!(
        request.path,
        format!("{}/", api.url()),
        "not in absolute form"
    );
    assert_signed_call(&request, &api.host());

    // Exceptions that do not match 127.0.0.1 leave the call to the proxy.
    call(&proxied(Some("10.0.0.0/8, internal.example")))
        .await
        .expect("the proxy answers");
    assert_eq!((proxy.count(), api.count()), (2, 0));

    call(&proxied(Some("internal.example, 127.0.0.1")))
        .await
        .expect("the API answers");
    assert_eq!(
        proxy.count(),
        2,
        "a host of no_proxy went through the proxy"
    );
    let request = only_request(&api);
    assert_eq!(request.path, "/");
    assert_signed_call(&request, &api.host());
}

#[test]
fn a_proxy_that_is_no_url_is_a_build_error() {
    let err = Client::builder()
        .credentials(Credentials::new(ID, KEY))
        .proxy("http://user:secret@[::1")
        .build()
        .expect_err("not a URL");
    assert!(
        matches!(
            &err,
            tencentcloud_runtime::BuildError::Http(
                tencentcloud_runtime::HttpSetupError::Proxy { .. }
            )
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("secret"), "{err}");
}

/// The variables of the environment's proxies, all cleared for the child.
const PROXY_VARIABLES: [&str; 9] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];
/// Where [`env_proxy_child`] sends its calls; it does nothing when unset.
const CHILD_API: &str = "TRANSPORT_SETTINGS_CHILD_API";

/// The environment is the process's: this test runs [`env_proxy_child`]
/// in a process of its own with `HTTP_PROXY` set, rather than set it in
/// this one, whose other tests read it from other threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_s_proxy_is_used_unless_turned_off() {
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let proxy = TestServer::start(|_, _| Answer::ok(OK)).await;
    let mut child = std::process::Command::new(
        std::env::current_exe().expect("the test binary knows its path"),
    );
    child.args([
        "env_proxy_child",
        "--exact",
        "--ignored",
        "--test-threads=1",
    ]);
    for name in PROXY_VARIABLES {
        child.env_remove(name);
    }
    child
        .env("HTTP_PROXY", proxy.url())
        .env(CHILD_API, api.url());
    let out = tokio::task::spawn_blocking(move || child.output())
        .await
        .expect("the child's task ends")
        .expect("the test binary runs");
    let shown = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed:\n{shown}");
    assert!(
        shown.contains("1 passed"),
        "the child ran no test:\n{shown}"
    );
    // The first call through HTTP_PROXY, the second direct.
    let request = only_request(&proxy);
    assert_eq!(request.path, format!("{}/", api.url()));
    assert_signed_call(&request, &api.host());
    assert_signed_call(&only_request(&api), &api.host());
}

/// Run by [`the_environment_s_proxy_is_used_unless_turned_off`] with
/// `HTTP_PROXY` set: one call with the default settings, one with the
/// environment's proxies off.
#[tokio::test]
#[ignore = "run by the_environment_s_proxy_is_used_unless_turned_off, in a process of its own"]
async fn env_proxy_child() {
    let Ok(api) = std::env::var(CHILD_API) else {
        return;
    };
    let client = |env_proxy| {
        Client::builder()
            .credentials(Credentials::new(ID, KEY))
            .endpoint_url(&api)
            .retry(RetryPolicy::never())
            .env_proxy(env_proxy)
            .build()
            .expect("default settings")
    };
    call(&client(true)).await.expect("through HTTP_PROXY");
    call(&client(false)).await.expect("direct");
}

// ---------------------------------------------------------------------------
// The user's own client

#[tokio::test]
async fn a_user_s_client_carries_the_signed_call_and_the_builder_s_proxy_is_ignored() {
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let closed = RefusingPort::bind();
    let own = reqwest::Client::builder()
        .user_agent("acme-own-client/1.0")
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("a plain reqwest client");
    // Had the proxy been used, the call would have been refused.
    let client = builder(&api.url())
        .proxy(closed.url())
        .http_client(own)
        .build()
        .expect("the user's client");
    call(&client).await.expect("the API answers");
    let request = only_request(&api);
    assert_signed_call(&request, &api.host());
    assert_eq!(request.header("user-agent"), Some("acme-own-client/1.0"));
}

#[tokio::test]
async fn a_user_s_client_that_follows_a_redirect_gets_no_answer_from_elsewhere() {
    let elsewhere = TestServer::start(|_, _| Answer::ok(OK)).await;
    let location = format!("{}/", elsewhere.url());
    let api = TestServer::start(move |_, _| Answer::Redirect {
        status: 307,
        location: location.clone(),
    })
    .await;
    // reqwest's default: redirects followed.
    let own = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain reqwest client");
    let client = builder(&api.url())
        .http_client(own)
        .build()
        .expect("the user's client");
    let err = transport_error(call(&client).await);
    assert_eq!(err.kind(), TransportErrorKind::MaybeSent, "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "the HTTP client followed a redirect from {}/ to {}/; its answer is not taken",
            api.url(),
            elsewhere.url()
        )),
        "{message}"
    );
    // What the docs warn of: the user's client sent the call on.
    assert_eq!((api.count(), elsewhere.count()), (1, 1));
}

// ---------------------------------------------------------------------------
// The credential providers' own requests

/// STS's answer to `AssumeRole`: the temporary credentials.
fn sts_answer() -> String {
    let expires = unix_in(3600);
    format!(
        r#"{{"Response":{{"Credentials":{{"Token":"{TMP_TOKEN}","TmpSecretId":"{TMP_ID}","TmpSecretKey":"{TMP_KEY}"}},"ExpiredTime":{expires},"RequestId":"sts"}}}}"#
    )
}

/// The metadata service's credentials document: the temporary credentials.
fn metadata_document() -> String {
    let expires = unix_in(3600);
    format!(
        r#"{{"TmpSecretId":"{TMP_ID}","TmpSecretKey":"{TMP_KEY}","ExpiredTime":{expires},"Token":"{TMP_TOKEN}","Code":"Success"}}"#
    )
}

/// Asserts that `request` is the `DescribeRoom` call for `host`, signed
/// with the temporary credentials.
fn assert_signed_with_temporary_credentials(request: &Recorded, host: &str) {
    assert_eq!(request.header("host"), Some(host), "{request:#?}");
    assert_eq!(request.header("x-tc-action"), Some("DescribeRoom"));
    assert_eq!(request.header("x-tc-token"), Some(TMP_TOKEN));
    verify_tc3(request, TMP_ID, TMP_KEY, "lcic").expect("signed with the role's keys");
}

/// A stand-in for the API and STS alike: `AssumeRole` gets credentials,
/// any other action a success.
async fn api_and_sts() -> TestServer {
    TestServer::start(|request, _| match request.header("x-tc-action") {
        Some("AssumeRole") => Answer::ok(&sts_answer()),
        _ => Answer::ok(OK),
    })
    .await
}

#[tokio::test]
async fn a_role_arn_provider_reaches_sts_through_the_client_s_proxy() {
    let (sts, api, proxy) = (
        api_and_sts().await,
        api_and_sts().await,
        api_and_sts().await,
    );
    let client = |no_proxy: &str| {
        let role =
            RoleArnProvider::new(Credentials::new(ID, KEY), ROLE_ARN).endpoint_url(sts.url());
        builder(&api.url())
            .credentials_provider(role)
            .proxy(proxy.url())
            .no_proxy(no_proxy)
            .build()
            .expect("valid settings")
    };

    call(&client("internal.example"))
        .await
        .expect("the call succeeds");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let assume = &requests[0];
    assert_eq!(assume.path, format!("{}/", sts.url()), "not STS's request");
    assert_eq!(assume.header("host"), Some(sts.host().as_str()));
    assert_eq!(assume.header("x-tc-action"), Some("AssumeRole"));
    verify_tc3(assume, ID, KEY, "sts").expect("AssumeRole is signed with the base keys");
    assert_eq!(requests[1].path, format!("{}/", api.url()));
    assert_signed_with_temporary_credentials(&requests[1], &api.host());
    assert_eq!(
        (sts.count(), api.count()),
        (0, 0),
        "a request bypassed the proxy"
    );

    // The client's no_proxy holds for STS too.
    call(&client("127.0.0.1")).await.expect("the call succeeds");
    assert_eq!(proxy.count(), 2);
    assert_eq!(only_request(&sts).header("x-tc-action"), Some("AssumeRole"));
    assert_signed_with_temporary_credentials(&only_request(&api), &api.host());
}

/// A stand-in metadata service for [`ROLE`] under `prefix` (`""`, or the
/// absolute form's `http://host:port` a proxy would see).
fn metadata(request: &Recorded, prefix: &str) -> Answer {
    let path = request.path.strip_prefix(prefix).unwrap_or(&request.path);
    match path.strip_prefix(METADATA_PATH) {
        Some("") => Answer::Text {
            status: 200,
            body: ROLE.to_owned(),
        },
        Some(ROLE) => Answer::ok(&metadata_document()),
        _ => Answer::Text {
            status: 404,
            body: "no such path".to_owned(),
        },
    }
}

#[tokio::test]
async fn the_metadata_service_is_asked_directly_even_with_a_proxy() {
    let service = TestServer::start(|request, _| metadata(request, "")).await;
    // Answers a metadata request too, so that a proxied one would succeed
    // and only the count tells.
    let proxy = TestServer::start(|request, _| match request.method.as_str() {
        "GET" => metadata(
            request,
            &format!("http://{}", request.header("host").unwrap_or("")),
        ),
        _ => Answer::ok(OK),
    })
    .await;
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let cvm = CvmRoleProvider::new().base_url(format!("{}{METADATA_PATH}", service.url()));
    let client = builder(&api.url())
        .credentials_provider(cvm)
        .proxy(proxy.url())
        .build()
        .expect("valid settings");
    call(&client).await.expect("the call succeeds");
    let asked: Vec<String> = service.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        asked,
        [METADATA_PATH.to_owned(), format!("{METADATA_PATH}{ROLE}")]
    );
    let request = only_request(&proxy);
    assert_eq!(request.path, format!("{}/", api.url()));
    assert_signed_with_temporary_credentials(&request, &api.host());
}

#[tokio::test]
async fn the_metadata_service_over_https_is_trusted_with_the_client_s_roots() {
    let ca = PrivateCa::new("metadata CA");
    let service = TestServer::start(|request, _| metadata(request, "")).await;
    let front = TlsFront::start(&ca, &service).await;
    let api = TestServer::start(|_, _| Answer::ok(OK)).await;
    let client = |roots: Option<&str>| {
        let cvm = CvmRoleProvider::new().base_url(format!("{}{METADATA_PATH}", front.url()));
        let builder = builder(&api.url()).credentials_provider(cvm);
        match roots {
            Some(pem) => builder.add_root_certificates_pem(pem),
            None => builder,
        }
        .build()
        .expect("valid settings")
    };

    let err = transport_error(call(&client(None)).await);
    assert_eq!(err.kind(), TransportErrorKind::Credentials, "{err}");
    assert_eq!((service.count(), api.count()), (0, 0));

    call(&client(Some(&ca.root_pem)))
        .await
        .expect("the call succeeds");
    assert_eq!(service.count(), 2);
    assert_signed_with_temporary_credentials(&only_request(&api), &api.host());
}
