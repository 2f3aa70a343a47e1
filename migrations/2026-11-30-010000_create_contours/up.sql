-- The outline of each département, computed by etl from geo/departements-avec-outre-mer.geojson:
-- for the maps, simplified (shared borders kept shared) and projected (Lambert-93 in
-- metropolitan France, the official UTM zone overseas), as MultiPolygon coordinates in whole
-- metres (JSON); for GIS tools, the WGS84 outline as an RFC 7946 GeoJSON geometry, as read and
-- simplified (the same kept points).
CREATE TABLE contours (
    departement_code TEXT PRIMARY KEY NOT NULL REFERENCES departements (code),
    projection TEXT NOT NULL,
    tolerance_m DOUBLE NOT NULL CHECK (tolerance_m > 0),
    carte TEXT NOT NULL,
    wgs84 TEXT NOT NULL,
    wgs84_simplifie TEXT NOT NULL
);
