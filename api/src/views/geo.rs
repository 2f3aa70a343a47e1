//! The départements as a GeoJSON FeatureCollection: each outline (RFC 7946 text stored by
//! `etl`, spliced as is) with the département's indicators for a scope as properties, the
//! rows of `/indicateurs` themselves, plus the region's name.

use db::Snapshot;
use serde_json::Value;

use super::Scope;
use super::indicateurs::departements;
use crate::error::ApiError;

/// The FeatureCollection of the scope's départements, in code order.
pub fn feature_collection(
    snapshot: &Snapshot,
    scope: &Scope,
    simplifie: bool,
) -> Result<String, ApiError> {
    let rows = departements(snapshot, scope);
    let mut out = String::with_capacity(if simplifie { 600_000 } else { 4_000_000 });
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    for row in &rows {
        let Some(contour) = snapshot.contour(&row.code) else {
            continue;
        };
        let mut properties = serde_json::to_value(row)
            .map_err(|e| ApiError::Internal(format!("GeoJSON properties: {e}")))?;
        if let Value::Object(map) = &mut properties {
            let region = snapshot
                .region(&row.region_code)
                .map(|r| r.nom.clone())
                .unwrap_or_default();
            map.insert("region_nom".to_owned(), Value::String(region));
        }
        let id = serde_json::to_string(&row.code)
            .map_err(|e| ApiError::Internal(format!("GeoJSON id: {e}")))?;
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str("\n{\"type\":\"Feature\",\"id\":");
        out.push_str(&id);
        out.push_str(",\"properties\":");
        out.push_str(&properties.to_string());
        out.push_str(",\"geometry\":");
        out.push_str(if simplifie {
            &contour.wgs84_simplifie
        } else {
            &contour.wgs84
        });
        out.push('}');
    }
    out.push_str("\n]}\n");
    Ok(out)
}
