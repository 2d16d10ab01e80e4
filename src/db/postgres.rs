//! Connecting to PostgreSQL, with TLS as libpq's `sslmode` means it, over rustls.
//!
//! tokio-postgres understands only `sslmode=disable|prefer|require`, and managed services hand
//! out URLs with `verify-full` and `sslrootcert`, so those two parameters are read here and
//! the rest of the URL goes to tokio-postgres untouched.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use diesel::{ConnectionError, ConnectionResult};
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres::NoTls;

use super::error_chain::error_chain;
use tokio_postgres::config::SslMode as WireSslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SslMode {
    Disable,
    /// libpq's default: TLS when the server offers it, without checking its certificate.
    Prefer,
    /// Encrypted, certificate not checked (unless `sslrootcert` is given, as in libpq).
    Require,
    /// Certificate chain checked against the roots, host name not.
    VerifyCa,
    /// Chain and host name checked: what a managed service should be reached with.
    VerifyFull,
}

#[derive(Debug, thiserror::Error)]
pub enum PgUrlError {
    #[error("invalid PostgreSQL URL: {0}")]
    Invalid(#[from] tokio_postgres::Error),
    #[error("sslmode={0} is not supported; use disable, prefer, require, verify-ca or verify-full")]
    SslMode(String),
    #[error("cannot use sslrootcert {path}: {reason}")]
    RootCert { path: String, reason: String },
}

/// Everything needed to open a connection, parsed once at launch.
#[derive(Clone)]
pub struct PgConnector {
    config: tokio_postgres::Config,
    tls: Option<MakeRustlsConnect>,
    /// Sent as `SET statement_timeout` on every new connection.
    statement_timeout: Duration,
}

/// A server that vanishes without closing the connection (a partition, a host that froze)
/// is noticed by TCP itself: an idle connection is probed after 15 s and given up after 3
/// unanswered probes 5 s apart; one whose sent data goes unacknowledged for 30 s is closed.
/// A request waiting on it meanwhile is bounded by `query_timeout`, not by these. A URL that
/// sets any of them (`keepalives_idle=...`) keeps its own values.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(15);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(5);
const KEEPALIVE_RETRIES: u32 = 3;
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);

impl PgConnector {
    pub fn from_url(url: &str, statement_timeout: Duration) -> Result<Self, PgUrlError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut sslmode = None;
        let mut rootcert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            match pair.split_once('=') {
                Some(("sslmode", value)) => sslmode = Some(percent_decode(value)),
                Some(("sslrootcert", value)) => rootcert = Some(percent_decode(value)),
                _ => kept.push(pair),
            }
        }
        let mut mode = match sslmode.as_deref() {
            None | Some("prefer") => SslMode::Prefer,
            Some("disable") => SslMode::Disable,
            Some("require") => SslMode::Require,
            Some("verify-ca") => SslMode::VerifyCa,
            Some("verify-full") => SslMode::VerifyFull,
            Some(other) => return Err(PgUrlError::SslMode(other.to_owned())),
        };
        if mode == SslMode::Require && rootcert.is_some() {
            mode = SslMode::VerifyCa;
        }

        let url = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config = tokio_postgres::Config::from_str(&url)?;
        let named = |key: &str| kept.iter().any(|pair| pair.starts_with(&format!("{key}=")));
        if !named("keepalives_idle") {
            config.keepalives_idle(KEEPALIVE_IDLE);
        }
        if !named("keepalives_interval") {
            config.keepalives_interval(KEEPALIVE_INTERVAL);
        }
        if !named("keepalives_retries") {
            config.keepalives_retries(KEEPALIVE_RETRIES);
        }
        if !named("tcp_user_timeout") {
            config.tcp_user_timeout(TCP_USER_TIMEOUT);
        }
        config.ssl_mode(match mode {
            SslMode::Disable => WireSslMode::Disable,
            SslMode::Prefer => WireSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => WireSslMode::Require,
        });
        let tls = match mode {
            SslMode::Disable => None,
            mode => Some(MakeRustlsConnect::new(client_config(
                mode,
                rootcert.as_deref(),
            )?)),
        };
        Ok(Self {
            config,
            tls,
            statement_timeout,
        })
    }

    /// A new connection whose statements the server itself stops after `statement_timeout`
    /// (answered as 503 "took too long"), which leaves the connection fit for reuse.
    pub async fn connect(&self) -> ConnectionResult<AsyncPgConnection> {
        let unreachable =
            |e: tokio_postgres::Error| ConnectionError::BadConnection(error_chain(&e));
        let mut conn = match &self.tls {
            None => {
                let (client, connection) = self.config.connect(NoTls).await.map_err(unreachable)?;
                AsyncPgConnection::try_from_client_and_connection(client, connection).await?
            }
            Some(tls) => {
                let (client, connection) = self
                    .config
                    .connect(tls.clone())
                    .await
                    .map_err(unreachable)?;
                AsyncPgConnection::try_from_client_and_connection(client, connection).await?
            }
        };
        let millis = self.statement_timeout.as_millis().max(1);
        conn.batch_execute(&format!("SET statement_timeout = {millis}"))
            .await
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    }
}

fn client_config(mode: SslMode, rootcert: Option<&str>) -> Result<ClientConfig, PgUrlError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| PgUrlError::RootCert {
            path: String::new(),
            reason: e.to_string(),
        })?;
    let roots = Arc::new(root_store(rootcert)?);
    let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
        .build()
        .map_err(|e| PgUrlError::RootCert {
            path: rootcert.unwrap_or("(built-in roots)").to_owned(),
            reason: e.to_string(),
        })?;
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        SslMode::VerifyFull => verifier,
        SslMode::VerifyCa => Arc::new(Relaxed {
            webpki: verifier,
            trust: Trust::AnyHostName,
        }),
        _ => Arc::new(Relaxed {
            webpki: verifier,
            trust: Trust::AnyCertificate,
        }),
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// `sslrootcert=PATH` (PEM) replaces the built-in roots, as in libpq; `system` or none means
/// Mozilla's root list, compiled in, so no system certificate store is needed.
fn root_store(rootcert: Option<&str>) -> Result<RootCertStore, PgUrlError> {
    let mut roots = RootCertStore::empty();
    match rootcert {
        None | Some("system") => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            let unreadable = |reason: String| PgUrlError::RootCert {
                path: path.to_owned(),
                reason,
            };
            for cert in
                CertificateDer::pem_file_iter(path).map_err(|e| unreadable(e.to_string()))?
            {
                let cert = cert.map_err(|e| unreadable(e.to_string()))?;
                roots.add(cert).map_err(|e| unreadable(e.to_string()))?;
            }
            if roots.is_empty() {
                return Err(unreadable("no certificates in the file".into()));
            }
        }
    }
    Ok(roots)
}

/// WebPki's verifier with one check relaxed, as libpq's weaker modes relax it. Handshake
/// signatures are always checked, so the session key belongs to the certificate presented.
#[derive(Debug)]
struct Relaxed {
    webpki: Arc<WebPkiServerVerifier>,
    trust: Trust,
}

#[derive(Debug, Clone, Copy)]
enum Trust {
    /// verify-ca: the chain must lead to a trusted root; the name may differ from the host
    /// connected to (servers reached through an IP or a proxy).
    AnyHostName,
    /// prefer / require: encrypted, and whoever answers is trusted, exactly as libpq does.
    AnyCertificate,
}

/// `ServerCertVerifier` methods that hand their arguments to the wrapped webpki verifier.
macro_rules! delegate_signature_checks {
    ($($method:ident),*) => {$(
        fn $method(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.webpki.$method(message, cert, dss)
        }
    )*};
}

impl ServerCertVerifier for Relaxed {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Trust::AnyCertificate = self.trust {
            return Ok(ServerCertVerified::assertion());
        }
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    // Signatures are checked exactly as webpki checks them; only the name check differs.
    delegate_signature_checks!(verify_tls12_signature, verify_tls13_signature);

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(url: &str) -> WireSslMode {
        PgConnector::from_url(url, Duration::from_secs(5))
            .unwrap()
            .config
            .get_ssl_mode()
    }

    #[test]
    fn sslmode_defaults_to_prefer_like_libpq() {
        assert_eq!(mode_of("postgres://u@localhost/db"), WireSslMode::Prefer);
        assert!(
            PgConnector::from_url("postgres://u@localhost/db", Duration::from_secs(5))
                .unwrap()
                .tls
                .is_some()
        );
    }

    #[test]
    fn disable_uses_no_tls() {
        let connector =
            PgConnector::from_url("postgres://u@h/db?sslmode=disable", Duration::from_secs(5))
                .unwrap();
        assert!(connector.tls.is_none());
        assert_eq!(connector.config.get_ssl_mode(), WireSslMode::Disable);
    }

    #[test]
    fn verify_modes_require_tls_and_are_not_passed_to_tokio_postgres() {
        for mode in ["require", "verify-ca", "verify-full"] {
            let url = format!("postgres://u@h/db?sslmode={mode}&application_name=people");
            assert_eq!(mode_of(&url), WireSslMode::Require, "{mode}");
            let config = PgConnector::from_url(&url, Duration::from_secs(5))
                .unwrap()
                .config;
            assert_eq!(config.get_application_name(), Some("people"));
        }
    }

    #[test]
    fn unknown_sslmode_is_refused_by_name() {
        let error = PgConnector::from_url(
            "postgres://h/db?sslmode=allow-anything",
            Duration::from_secs(5),
        )
        .err()
        .unwrap();
        assert!(
            error.to_string().contains("sslmode=allow-anything"),
            "{error}"
        );
    }

    #[test]
    fn unreadable_root_certificate_is_a_clear_error() {
        let error = PgConnector::from_url(
            "postgres://h/db?sslmode=verify-full&sslrootcert=%2Fno%2Fsuch.pem",
            Duration::from_secs(5),
        )
        .err()
        .unwrap();
        assert!(error.to_string().contains("/no/such.pem"), "{error}");
    }

    #[test]
    fn dead_peers_are_noticed_unless_the_url_says_otherwise() {
        let config = |url: &str| {
            PgConnector::from_url(url, Duration::from_secs(5))
                .unwrap()
                .config
        };
        let ours = config("postgres://u@h/db");
        assert_eq!(ours.get_keepalives_idle(), KEEPALIVE_IDLE);
        assert_eq!(ours.get_keepalives_retries(), Some(KEEPALIVE_RETRIES));
        assert_eq!(ours.get_tcp_user_timeout(), Some(&TCP_USER_TIMEOUT));
        let theirs = config("postgres://u@h/db?keepalives_idle=60");
        assert_eq!(theirs.get_keepalives_idle(), Duration::from_secs(60));
    }

    #[test]
    fn percent_decoding_keeps_invalid_sequences() {
        assert_eq!(percent_decode("%2Ftmp%2Fca.pem"), "/tmp/ca.pem");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
