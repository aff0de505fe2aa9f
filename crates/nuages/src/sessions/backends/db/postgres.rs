//! The `django_session` table on PostgreSQL, as `manage.py migrate` creates it
//! (`expire_date timestamp with time zone`, the `_like` index on the key).

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::Row;

use super::SessionRow;
use crate::core::exceptions::ImproperlyConfigured;

/// `manage.py sqlmigrate sessions 0001` on PostgreSQL (Django 5.2).
const SCHEMA: [&str; 3] = [
    "CREATE TABLE \"django_session\" (\"session_key\" varchar(40) NOT NULL PRIMARY KEY, \
     \"session_data\" text NOT NULL, \"expire_date\" timestamp with time zone NOT NULL)",
    "CREATE INDEX \"django_session_session_key_c0390e0f_like\" ON \"django_session\" \
     (\"session_key\" varchar_pattern_ops)",
    "CREATE INDEX \"django_session_expire_date_a5c62663\" ON \"django_session\" (\"expire_date\")",
];

/// The advisory lock taken while checking for (and creating) the table, so that instances
/// starting together create it once.
const SCHEMA_LOCK: i64 = 0x6e75_6167_6573_0001;

/// A lazily connected PostgreSQL pool (see [`super::Database`]).
#[derive(Debug)]
pub(crate) struct Postgres {
    options: PgConnectOptions,
    pool_options: PgPoolOptions,
    pool: std::sync::OnceLock<PgPool>,
}

impl Postgres {
    pub(crate) fn new(
        url: &str,
        pool_size: u32,
        timeout: Duration,
    ) -> Result<Self, ImproperlyConfigured> {
        let statement_timeout = timeout.as_millis().max(1).to_string();
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| ImproperlyConfigured::new(format!("invalid DATABASE_URL: {e}")))?
            .options([("statement_timeout", statement_timeout.as_str())]);
        Ok(Postgres {
            options,
            pool_options: PgPoolOptions::new()
                .max_connections(pool_size.max(1))
                .acquire_timeout(timeout),
            pool: std::sync::OnceLock::new(),
        })
    }

    /// The pool, made on first use (it needs the runtime).
    fn pool(&self) -> &PgPool {
        self.pool.get_or_init(|| {
            self.pool_options
                .clone()
                .connect_lazy_with(self.options.clone())
        })
    }

    /// Creates the table with Django's DDL when it is missing (a database that Django's
    /// `migrate` manages already has it and is left as it is).
    pub(crate) async fn ensure_schema(&self) -> Result<(), sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SCHEMA_LOCK)
            .execute(&mut *tx)
            .await?;
        let exists: bool = sqlx::query("SELECT to_regclass('django_session') IS NOT NULL")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if !exists {
            for statement in SCHEMA {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
        }
        tx.commit().await
    }

    pub(crate) async fn load(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT \"session_data\", \"expire_date\" FROM \"django_session\" \
             WHERE \"session_key\" = $1 AND \"expire_date\" > $2",
        )
        .bind(key)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => Some(SessionRow {
                session_data: row.try_get(0)?,
                expire_date: Some(row.try_get(1)?),
            }),
            None => None,
        })
    }

    pub(crate) async fn exists(&self, key: &str) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT 1 FROM \"django_session\" WHERE \"session_key\" = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }

    pub(crate) async fn insert(
        &self,
        key: &str,
        data: &str,
        expire: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO \"django_session\" (\"session_key\", \"session_data\", \"expire_date\") \
             VALUES ($1, $2, $3) ON CONFLICT (\"session_key\") DO NOTHING",
        )
        .bind(key)
        .bind(data)
        .bind(expire)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) async fn update_then<F>(
        &self,
        key: &str,
        data: &str,
        expire: DateTime<Utc>,
        now: DateTime<Utc>,
        then: Option<F>,
    ) -> Result<bool, sqlx::Error>
    where
        F: std::future::Future<Output = ()>,
    {
        let query = sqlx::query(
            "UPDATE \"django_session\" SET \"session_data\" = $2, \"expire_date\" = $3 \
             WHERE \"session_key\" = $1 AND \"expire_date\" > $4",
        )
        .bind(key)
        .bind(data)
        .bind(expire)
        .bind(now);
        let Some(then) = then else {
            return Ok(query.execute(self.pool()).await?.rows_affected() == 1);
        };
        // The row lock is held until `then` (the cache write of cached_db) is done, so a
        // concurrent delete cannot slip between the two.
        let mut tx = self.pool().begin().await?;
        let updated = query.execute(&mut *tx).await?.rows_affected() == 1;
        if updated {
            then.await;
        }
        tx.commit().await?;
        Ok(updated)
    }

    pub(crate) async fn delete(&self, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM \"django_session\" WHERE \"session_key\" = $1")
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub(crate) async fn clear_expired(&self, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM \"django_session\" WHERE \"expire_date\" < $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
