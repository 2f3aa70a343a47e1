//! A deterministic SQL dump of the whole database (schema and data) and its restore.
//!
//! Tables come in creation order, rows in primary-key order, and values are
//! rendered by SQLite's own `quote()` (the bundled SQLite, so the same build
//! always prints the same bytes). Diesel's migration history is dumped without
//! its `run_on` timestamp, which would make every dump different; a restored
//! database still knows which migrations it carries.

use std::fmt::Write as _;
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel::sqlite::SqliteConnection;

use crate::DbError;

const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

#[derive(QueryableByName)]
struct SchemaObject {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct ColumnInfo {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Renders the whole database as SQL statements that rebuild it in an empty file.
pub fn dump_sql(conn: &mut SqliteConnection) -> Result<String, DbError> {
    let tables: Vec<SchemaObject> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master \
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY rowid",
    )
    .load(conn)?;
    let others: Vec<SchemaObject> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master \
         WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid",
    )
    .load(conn)?;

    let mut out = String::new();
    out.push_str("-- Elexxion database: schema and data. Written by `etl`; do not edit.\n");
    out.push_str("PRAGMA foreign_keys = OFF;\nBEGIN TRANSACTION;\n");
    for table in &tables {
        out.push_str(&table.sql);
        out.push_str(";\n");
        for line in table_rows(conn, &table.name)? {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for object in &others {
        let _ = writeln!(out, "{};", object.sql);
    }
    out.push_str("COMMIT;\n");
    Ok(out)
}

/// One `INSERT` per row, ordered by primary key (or by every column when there is none).
fn table_rows(conn: &mut SqliteConnection, table: &str) -> Result<Vec<String>, DbError> {
    let mut columns: Vec<ColumnInfo> = diesel::sql_query(format!(
        "SELECT name, pk FROM pragma_table_info({}) ORDER BY cid",
        quote_literal(table)
    ))
    .load(conn)?;
    if table == MIGRATIONS_TABLE {
        columns.retain(|c| c.name == "version");
    }
    let mut key: Vec<&ColumnInfo> = columns.iter().filter(|c| c.pk > 0).collect();
    key.sort_by_key(|c| c.pk);
    if key.is_empty() {
        key = columns.iter().collect();
    }
    let names: Vec<String> = columns.iter().map(|c| quote_ident(&c.name)).collect();
    let values: Vec<String> = names.iter().map(|n| format!("quote({n})")).collect();
    let order: Vec<String> = key.iter().map(|c| quote_ident(&c.name)).collect();
    let query = format!(
        "SELECT {prefix} || {values} || ');' AS line FROM {table} ORDER BY {order}",
        prefix = quote_literal(&format!(
            "INSERT INTO {} ({}) VALUES (",
            quote_ident(table),
            names.join(", ")
        )),
        values = values.join(" || ', ' || "),
        table = quote_ident(table),
        order = order.join(", "),
    );
    let lines: Vec<Line> = diesel::sql_query(query).load(conn)?;
    Ok(lines.into_iter().map(|l| l.line).collect())
}

/// Builds the database at `path` from a dump, atomically: the statements run in a
/// temporary file beside `path`, which replaces it only once they all succeeded.
pub fn restore_from_dump(path: &Path, dump: &str) -> Result<(), DbError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // A restore killed half-way left its temporary file: nobody will finish it.
    crate::outputs::remove_stale(dir, ".restore-");
    let io =
        |e: std::io::Error| DbError::Migration(format!("restore into {}: {e}", path.display()));
    let tmp = tempfile::Builder::new()
        .prefix(".restore-")
        .suffix(".db")
        .tempfile_in(dir)
        .map_err(io)?;
    {
        let mut conn = crate::open(tmp.path())?;
        conn.batch_execute(dump)?;
        crate::check_schema(&mut conn, path)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
