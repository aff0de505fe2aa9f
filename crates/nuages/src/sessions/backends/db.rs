//! The equivalent of `django/contrib/sessions/backends/db.py` (and of the `Session` model of
//! `models.py`): sessions in the `django_session` table, on SQLite or PostgreSQL through
//! `sqlx` (async, pooled).
//!
//! The table is Django's: `session_key varchar(40) PRIMARY KEY`, `session_data text` holding
//! [`SessionBase::encode`] (`signing.dumps(data, salt="django.contrib.sessions.SessionStore",
//! compress=True)`), `expire_date` (indexed). A Django project pointed at the same database
//! reads and writes the same rows: a session is shared both ways.
//!
//! - **SQLite** (`DATABASE_URL=sqlite://PATH`, the default being `sqlite://nuages.sqlite3`):
//!   the file and the table are created on first use; the file is switched to WAL so several
//!   processes can share it.
//! - **PostgreSQL** (`postgres://…`): the table `manage.py migrate` created is used as it is;
//!   when it is missing it is created with Django's exact DDL (run Django's
//!   `migrate --fake-initial` later if a Django project adopts the database).
//!
//! Semantics are Django's, made strict where Django leaves a race open:
//! - `load` reads the row only if `expire_date > now`; no row: an empty session without key;
//!   undecodable data: an empty session (logged to `django.security.SuspiciousSession`);
//! - `create` inserts (`INSERT … ON CONFLICT DO NOTHING`, never an upsert) under a fresh random
//!   key until one is free;
//! - `save` updates the row only if it still exists and has not expired; otherwise
//!   [`SessionError::Update`], which the middleware answers with [`SessionInterrupted`]
//!   (400): a session deleted by a concurrent logout is never written back;
//! - a database that is down or slower than DATABASE_TIMEOUT is a [`SessionError::Backend`]
//!   (a 500 and a log line), never an empty session.
//!
//! [`SessionInterrupted`]: crate::sessions::SessionInterrupted

mod postgres;
mod sqlite;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::base::{Clock, SessionBase, SessionData, SessionStore};
use super::{backend_error, session_key_or_none};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::sessions::exceptions::SessionError;
use crate::views::BoxFuture;

/// A `django_session` row as `load` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// `session_data`: the encoded session.
    pub session_data: String,
    /// `expire_date` (`None` if SQLite holds text that is not a datetime).
    pub expire_date: Option<DateTime<Utc>>,
}

#[derive(Debug)]
enum Kind {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// The database of the `db` and `cached_db` engines: a lazily connected pool on the
/// `django_session` table of DATABASE_URL, with every operation bounded by DATABASE_TIMEOUT.
///
/// # Examples
/// ```
/// use nuages::sessions::backends::db::Database;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let db = Database::new("sqlite::memory:", 1, std::time::Duration::from_secs(5)).unwrap();
/// let now = chrono::Utc::now();
/// let later = now + chrono::TimeDelta::hours(1);
/// assert!(db.insert("k1234567", "data", later).await.unwrap());
/// assert!(!db.insert("k1234567", "other", later).await.unwrap()); // never an upsert
/// assert_eq!(db.load("k1234567", now).await.unwrap().unwrap().session_data, "data");
/// assert!(db.load("k1234567", later).await.unwrap().is_none()); // expired
/// # });
/// ```
pub struct Database {
    kind: Kind,
    timeout: Duration,
    schema: tokio::sync::OnceCell<()>,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            Kind::Sqlite(_) => "Database(sqlite)",
            Kind::Postgres(_) => "Database(postgres)",
        })
    }
}

macro_rules! dispatch {
    ($self:ident, $db:ident => $e:expr) => {
        match &$self.kind {
            Kind::Sqlite($db) => $e,
            Kind::Postgres($db) => $e,
        }
    };
}

impl Database {
    /// The database of DATABASE_URL, DATABASE_POOL_SIZE and DATABASE_TIMEOUT.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for a URL that is neither `sqlite:` nor `postgres://`.
    pub fn from_settings(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        Database::new(
            &settings.database_url,
            settings.database_pool_size,
            settings.database_timeout,
        )
    }

    /// The database at `url` (`sqlite://PATH`, `sqlite::memory:`, `postgres://…`), with at
    /// most `pool_size` connections and `timeout` per operation. Nothing is connected yet.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for an unsupported or malformed URL.
    pub fn new(url: &str, pool_size: u32, timeout: Duration) -> Result<Self, ImproperlyConfigured> {
        let kind = if url.starts_with("sqlite:") {
            Kind::Sqlite(sqlite::Sqlite::new(url, pool_size, timeout)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Kind::Postgres(postgres::Postgres::new(url, pool_size, timeout)?)
        } else {
            return Err(ImproperlyConfigured::new(
                "DATABASE_URL must be sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/NAME",
            ));
        };
        Ok(Database {
            kind,
            timeout,
            schema: tokio::sync::OnceCell::new(),
        })
    }

    /// Runs `op` once the table exists, within twice the timeout, logging failures.
    async fn run<T, F>(&self, what: &'static str, op: F) -> Result<T, SessionError>
    where
        F: std::future::Future<Output = Result<T, sqlx::Error>>,
    {
        let work = async {
            self.schema
                .get_or_try_init(|| async { dispatch!(self, db => db.ensure_schema().await) })
                .await?;
            op.await
        };
        match tokio::time::timeout(self.timeout * 2, work).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(backend_error("db", what, e)),
            Err(_) => Err(backend_error(
                "db",
                what,
                format!("no answer within {:?}", self.timeout * 2),
            )),
        }
    }

    /// The row of `key` if it has not expired at `now` (`expire_date > now`).
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn load(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, SessionError> {
        self.run("load", async {
            dispatch!(self, db => db.load(key, now).await)
        })
        .await
    }

    /// Whether a row (expired or not) has this key.
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn exists(&self, key: &str) -> Result<bool, SessionError> {
        self.run("exists", async {
            dispatch!(self, db => db.exists(key).await)
        })
        .await
    }

    /// Inserts a row; `false` when the key is taken (nothing is changed then).
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn insert(
        &self,
        key: &str,
        data: &str,
        expire: DateTime<Utc>,
    ) -> Result<bool, SessionError> {
        self.run("insert", async {
            dispatch!(self, db => db.insert(key, data, expire).await)
        })
        .await
    }

    /// Updates the row of `key` if it exists and has not expired at `now`; whether it did.
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn update(
        &self,
        key: &str,
        data: &str,
        expire: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, SessionError> {
        self.update_then(key, data, expire, now, None::<std::future::Ready<()>>)
            .await
    }

    /// [`Database::update`], running `then` after a successful update while the row is still
    /// locked (inside the transaction), so that nothing can delete the row in between.
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn update_then<F>(
        &self,
        key: &str,
        data: &str,
        expire: DateTime<Utc>,
        now: DateTime<Utc>,
        then: Option<F>,
    ) -> Result<bool, SessionError>
    where
        F: std::future::Future<Output = ()>,
    {
        self.run("update", async {
            dispatch!(self, db => db.update_then(key, data, expire, now, then).await)
        })
        .await
    }

    /// Deletes the row of `key`, if any.
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn delete(&self, key: &str) -> Result<(), SessionError> {
        self.run("delete", async {
            dispatch!(self, db => db.delete(key).await)
        })
        .await
    }

    /// `clear_expired()`: deletes the rows with `expire_date < now`; how many.
    ///
    /// # Errors
    /// [`SessionError::Backend`].
    pub async fn clear_expired(&self, now: DateTime<Utc>) -> Result<u64, SessionError> {
        self.run("clear_expired", async {
            dispatch!(self, db => db.clear_expired(now).await)
        })
        .await
    }
}

/// `django.contrib.sessions.backends.db.SessionStore`: see the [module docs](self).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use nuages::sessions::backends::db::DatabaseStore;
/// use nuages::sessions::backends::SessionStore;
/// use nuages::sessions::SessionBase;
/// use nuages::Settings;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let settings = Arc::new(Settings {
///     secret_key: "s3cr3t".into(),
///     database_url: "sqlite::memory:".into(),
///     ..Settings::default()
/// });
/// let store = DatabaseStore::from_settings(&settings).unwrap();
/// let mut s = SessionBase::new(None, settings.clone());
/// s.load_with(&store, false).await.unwrap().insert("user_id".into(), 42.into());
/// store.save(&mut s, false).await.unwrap(); // creates the row under a new key
/// let key = s.session_key().unwrap().to_owned();
/// assert_eq!(key.len(), 32);
///
/// let mut again = SessionBase::new(Some(key), settings);
/// assert_eq!(again.load_with(&store, false).await.unwrap()["user_id"], 42);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct DatabaseStore {
    db: Arc<Database>,
    clock: Clock,
}

impl DatabaseStore {
    /// The store on DATABASE_URL.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for a bad DATABASE_URL.
    pub fn from_settings(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        Ok(DatabaseStore::new(Arc::new(Database::from_settings(
            settings,
        )?)))
    }

    /// The store on a database.
    pub fn new(db: Arc<Database>) -> Self {
        DatabaseStore {
            db,
            clock: Clock::system(),
        }
    }

    /// Uses another clock for [`SessionStore::clear_expired`] (sessions use their own).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The database.
    pub fn database(&self) -> &Arc<Database> {
        &self.db
    }

    /// Django's `_get_session_from_db()`: the unexpired row of the session's key; none drops
    /// the key.
    pub(crate) async fn session_from_db(
        &self,
        session: &mut SessionBase,
    ) -> Result<Option<SessionRow>, SessionError> {
        let Some(key) = session.session_key() else {
            return Ok(None);
        };
        let row = self.db.load(key, session.now()).await?;
        if row.is_none() {
            session.set_session_key(None);
        }
        Ok(row)
    }

    /// What `save(must_create)` writes: the key, the encoded data and the expiry date (after
    /// loading the data unless `must_create`).
    pub(crate) async fn row_to_save<S: SessionStore + ?Sized>(
        store: &S,
        session: &mut SessionBase,
        must_create: bool,
    ) -> Result<(String, SessionData, String, DateTime<Utc>), SessionError> {
        let data = session.load_with(store, must_create).await?.clone();
        let key = session_key_or_none(session)?;
        let encoded = session.encode(&data, store.key_salt())?;
        let expire = session.expiry_date(session.stored_expiry())?;
        Ok((key, data, encoded, expire))
    }
}

impl SessionStore for DatabaseStore {
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        Box::pin(async move {
            Ok(match self.session_from_db(session).await? {
                Some(row) => session.decode(&row.session_data, self.key_salt()),
                None => SessionData::new(),
            })
        })
    }

    fn exists<'a>(&'a self, session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        Box::pin(self.db.exists(session_key))
    }

    fn save<'a>(
        &'a self,
        session: &'a mut SessionBase,
        must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            if session.session_key().is_none() {
                return self.create(session).await;
            }
            let (key, _, encoded, expire) =
                DatabaseStore::row_to_save(self, session, must_create).await?;
            if must_create {
                if !self.db.insert(&key, &encoded, expire).await? {
                    return Err(SessionError::Create);
                }
            } else if !self
                .db
                .update(&key, &encoded, expire, session.now())
                .await?
            {
                return Err(SessionError::Update);
            }
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        session: &'a mut SessionBase,
        session_key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            match session_key.or(session.session_key()) {
                Some(key) => self.db.delete(key).await,
                None => Ok(()),
            }
        })
    }

    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(async move { self.db.clear_expired(self.clock.now()).await.map(drop) })
    }

    fn name(&self) -> &'static str {
        "db"
    }
}
