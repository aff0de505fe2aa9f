//! The `django_session` table on SQLite, as Django's `sqlite3` backend lays it out: datetimes
//! are text in Python's `str(naive UTC datetime)` form (`2023-11-28 22:13:20.123456`), compared
//! as strings by the queries, exactly like Django's.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;

use super::SessionRow;
use crate::core::exceptions::ImproperlyConfigured;

/// `manage.py sqlmigrate sessions 0001` on SQLite, made idempotent.
const SCHEMA: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS \"django_session\" (\"session_key\" varchar(40) NOT NULL \
     PRIMARY KEY, \"session_data\" text NOT NULL, \"expire_date\" datetime NOT NULL)",
    "CREATE INDEX IF NOT EXISTS \"django_session_expire_date_a5c62663\" ON \"django_session\" \
     (\"expire_date\")",
];

/// Python's `str(dt)` of a naive datetime, as Django's SQLite backend stores datetimes.
pub(crate) fn python_str(at: DateTime<Utc>) -> String {
    let micros = at.timestamp_subsec_micros();
    if micros == 0 {
        at.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        format!("{}.{micros:06}", at.format("%Y-%m-%d %H:%M:%S"))
    }
}

/// Django's `parse_datetime` for what SQLite columns hold (naive values are UTC).
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc());
        }
    }
    ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%:z"]
        .iter()
        .find_map(|f| DateTime::parse_from_str(text, f).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// A lazily connected SQLite pool (see [`super::Database`]).
#[derive(Debug)]
pub(crate) struct Sqlite {
    options: SqliteConnectOptions,
    pool_options: SqlitePoolOptions,
    pool: std::sync::OnceLock<SqlitePool>,
    in_memory: bool,
}

impl Sqlite {
    pub(crate) fn new(
        url: &str,
        pool_size: u32,
        timeout: Duration,
    ) -> Result<Self, ImproperlyConfigured> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut options = SqliteConnectOptions::from_str(url)
            .map_err(|e| ImproperlyConfigured::new(format!("invalid DATABASE_URL {url:?}: {e}")))?
            .create_if_missing(true)
            .busy_timeout(timeout);
        let mut pool_options = SqlitePoolOptions::new().acquire_timeout(timeout);
        if in_memory {
            // One connection that never closes: the database lives as long as it does.
            pool_options = pool_options
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        } else {
            options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal);
            pool_options = pool_options.max_connections(pool_size.max(1));
        }
        Ok(Sqlite {
            options,
            pool_options,
            pool: std::sync::OnceLock::new(),
            in_memory,
        })
    }

    /// The pool, made on first use (it needs the runtime).
    fn pool(&self) -> &SqlitePool {
        self.pool.get_or_init(|| {
            self.pool_options
                .clone()
                .connect_lazy_with(self.options.clone())
        })
    }

    /// Creates the table (and the directory of the file) when missing.
    pub(crate) async fn ensure_schema(&self) -> Result<(), sqlx::Error> {
        if !self.in_memory {
            if let Some(dir) = self.options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    tokio::fs::create_dir_all(dir).await?;
                }
            }
        }
        let mut conn = self.pool().acquire().await?;
        for statement in SCHEMA {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        Ok(())
    }

    pub(crate) async fn load(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT \"session_data\", \"expire_date\" FROM \"django_session\" \
             WHERE \"session_key\" = ?1 AND \"expire_date\" > ?2",
        )
        .bind(key)
        .bind(python_str(now))
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => Some(SessionRow {
                session_data: row.try_get(0)?,
                expire_date: parse_datetime(&row.try_get::<String, _>(1)?),
            }),
            None => None,
        })
    }

    pub(crate) async fn exists(&self, key: &str) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT 1 FROM \"django_session\" WHERE \"session_key\" = ?1")
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
             VALUES (?1, ?2, ?3) ON CONFLICT (\"session_key\") DO NOTHING",
        )
        .bind(key)
        .bind(data)
        .bind(python_str(expire))
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
            "UPDATE \"django_session\" SET \"session_data\" = ?2, \"expire_date\" = ?3 \
             WHERE \"session_key\" = ?1 AND \"expire_date\" > ?4",
        )
        .bind(key)
        .bind(data)
        .bind(python_str(expire))
        .bind(python_str(now));
        let Some(then) = then else {
            return Ok(query.execute(self.pool()).await?.rows_affected() == 1);
        };
        // The row stays locked until `then` (the cache write of cached_db) is done, so a
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
        sqlx::query("DELETE FROM \"django_session\" WHERE \"session_key\" = ?1")
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub(crate) async fn clear_expired(&self, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM \"django_session\" WHERE \"expire_date\" < ?1")
            .bind(python_str(now))
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_like_django() {
        let t = DateTime::from_timestamp(1_701_209_600, 0).unwrap_or_default();
        assert_eq!(python_str(t), "2023-11-28 22:13:20");
        let t2 = DateTime::from_timestamp(1_701_209_600, 1_500_999).unwrap_or_default();
        assert_eq!(python_str(t2), "2023-11-28 22:13:20.001500");
        assert_eq!(parse_datetime("2023-11-28 22:13:20"), Some(t));
        assert_eq!(
            parse_datetime("2023-11-28 22:13:20.001500").map(python_str),
            Some(python_str(t2))
        );
        assert_eq!(parse_datetime("2023-11-28T23:13:20+01:00"), Some(t));
        assert_eq!(parse_datetime("tomorrow"), None);
    }
}
