//! The one place a `reqwest::Client` is made from [`HttpSettings`]: the
//! user's own client when one was given, else one built with the settings'
//! root certificates, proxy and connect timeout, never following redirects.
//! The transport sends calls with it; the credential providers make theirs
//! for STS and the metadata service with it too. Also here: what a failed
//! TLS handshake says, for the transport's errors.

use super::http::HttpSettings;
use reqwest::{Certificate, NoProxy, Proxy};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::error::Error as StdError;
use std::fmt::Write as _;

/// Why no HTTP client could be made from [`HttpSettings`]: at
/// [`ClientBuilder::build`](crate::ClientBuilder::build) (as
/// [`BuildError::Http`](crate::BuildError::Http)) or
/// [`HttpTransport::new`](crate::HttpTransport::new), before anything is
/// sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpSetupError {
    /// A PEM bundle given to
    /// [`add_root_certificates_pem`](HttpSettings::add_root_certificates_pem)
    /// is not PEM, holds no certificate, or holds one that cannot be a root.
    #[error("root certificate bundle {index}: {problem}")]
    RootCertificates {
        /// Which bundle, counting from 0 in the order given.
        index: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The [`proxy`](HttpSettings::proxy) is not a URL reqwest can proxy
    /// through. (The URL is not repeated: it may hold a password.)
    #[error("invalid proxy URL: {}", causes(.source))]
    Proxy {
        /// reqwest's error.
        source: reqwest::Error,
    },
    /// reqwest could not build the client (e.g. the `native-roots`
    /// feature found only unusable certificates in the platform's store).
    #[error("cannot set up the HTTP client: {}", causes(.source))]
    Client {
        /// reqwest's error.
        source: reqwest::Error,
    },
}

/// The client that sends with `settings`: [`HttpSettings::http_client`]
/// when set, else a new one (its own connection pool) over rustls with the
/// bundled Mozilla roots (and the platform's with the `native-roots`
/// feature), the extra roots, the proxy and the connect timeout of
/// `settings`, following no redirect.
pub(crate) fn http_client(settings: &HttpSettings) -> Result<reqwest::Client, HttpSetupError> {
    if let Some(client) = &settings.http_client {
        return Ok(client.clone());
    }
    // No timeout for the whole of a request here: each sets its own, and a
    // streamed answer has none for its whole.
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(settings.connect_timeout)
        .redirect(reqwest::redirect::Policy::none());
    for (index, pem) in settings.root_certificates_pem.iter().enumerate() {
        for certificate in root_certificates(pem)
            .map_err(|problem| HttpSetupError::RootCertificates { index, problem })?
        {
            builder = builder.add_root_certificate(certificate);
        }
    }
    if let Some(url) = &settings.proxy {
        let proxy = Proxy::all(url.as_str())
            .map_err(|source| HttpSetupError::Proxy { source })?
            .no_proxy(settings.no_proxy.as_deref().and_then(NoProxy::from_string));
        // An explicit proxy turns the environment's off (reqwest's rule).
        builder = builder.proxy(proxy);
    } else if !settings.env_proxy {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|source| HttpSetupError::Client { source })
}

/// The certificates of one PEM bundle, each checked as rustls checks a root
/// (reqwest would only find a bad one when building the client, without
/// saying which setting it came from).
fn root_certificates(pem: &[u8]) -> Result<Vec<Certificate>, String> {
    let ders = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("is not valid PEM: {e}"))?;
    if ders.is_empty() {
        return Err("holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)".to_owned());
    }
    let mut check = rustls::RootCertStore::empty();
    ders.into_iter()
        .enumerate()
        .map(|(n, der)| {
            check.add(der.clone()).map_err(|e| {
                let reason = match e {
                    rustls::Error::InvalidCertificate(e) => e.to_string(),
                    e => e.to_string(),
                };
                format!("certificate {n} (from 0) cannot be a root certificate: {reason}")
            })?;
            Certificate::from_der(&der)
                .map_err(|e| format!("certificate {n} (from 0): {}", causes(&e)))
        })
        .collect()
}

/// The TLS error behind `err`, if the failure was a TLS handshake's (an
/// untrusted certificate, a name mismatch, no common protocol).
pub(crate) fn tls_failure<'e>(err: &'e (dyn StdError + 'static)) -> Option<&'e rustls::Error> {
    let mut next = Some(err);
    while let Some(err) = next {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match err.downcast_ref::<std::io::Error>() {
            // An `io::Error` wrapping another error gives that error's
            // source as its own, skipping the error itself: go inside.
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => err.source(),
        };
    }
    None
}

/// `err`'s message and those of its sources, `: `-separated (reqwest's own
/// message alone is often just "builder error").
fn causes(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        let _ = write!(text, ": {cause}");
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed CA certificate, made for the test, as PEM.
    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().expect("rcgen makes a key pair");
        let mut params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("no names are valid names");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = params.self_signed(&key).expect("rcgen signs its own key");
        ca.pem()
    }

    fn refused(settings: HttpSettings) -> HttpSetupError {
        http_client(&settings).expect_err("the settings are refused")
    }

    #[test]
    fn a_bundle_that_holds_no_certificate_is_refused_with_its_place() {
        let settings = HttpSettings::default()
            .add_root_certificates_pem(ca_pem())
            .add_root_certificates_pem("not a certificate");
        let err = refused(settings);
        assert!(
            matches!(err, HttpSetupError::RootCertificates { index: 1, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "root certificate bundle 1: holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)"
        );
    }

    #[test]
    fn a_broken_pem_or_certificate_is_refused() {
        let base64 = "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n";
        let err = refused(HttpSettings::default().add_root_certificates_pem(base64));
        assert!(err.to_string().contains("is not valid PEM"), "{err}");
        // Valid PEM around bytes that are no certificate.
        let garbage = "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n";
        let err = refused(HttpSettings::default().add_root_certificates_pem(garbage));
        assert!(
            err.to_string()
                .contains("certificate 0 (from 0) cannot be a root certificate"),
            "{err}"
        );
        let pem = ca_pem();
        let unended = &pem[..pem.len() - 30];
        let err = refused(HttpSettings::default().add_root_certificates_pem(unended));
        assert!(err.to_string().contains("is not valid PEM"), "{err}");
    }

    #[test]
    fn several_certificates_and_a_proxy_make_a_client() {
        let pem = ca_pem();
        let two = format!("{pem}\n{}", ca_pem());
        let settings = HttpSettings::default()
            .add_root_certificates_pem(two.clone())
            .proxy("http://user:secret@127.0.0.1:3128")
            .no_proxy("localhost, 10.0.0.0/8");
        assert!(http_client(&settings).is_ok());
        assert_eq!(root_certificates(two.as_bytes()).unwrap().len(), 2);
        assert_eq!(root_certificates(pem.as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn a_proxy_that_is_no_url_is_refused_without_repeating_it() {
        let err = refused(HttpSettings::default().proxy("http://user:secret@[::1"));
        assert!(matches!(err, HttpSetupError::Proxy { .. }), "{err:?}");
        let shown = err.to_string();
        assert!(shown.starts_with("invalid proxy URL: "), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
    }
}
