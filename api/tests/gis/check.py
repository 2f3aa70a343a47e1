"""Reads a GeoJSON file with GDAL/OGR (Debian's python3-gdal) and prints, as JSON, what a GIS
user would see: the driver, the layer's feature count, geometry type and spatial reference,
every feature whose geometry is not valid (GEOS), and the properties of each feature.

Usage: /usr/bin/python3 check.py FILE
"""

import json
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
source = ogr.Open(sys.argv[1])
layer = source.GetLayer(0)
reference = layer.GetSpatialRef()
report = {
    "driver": source.GetDriver().GetName(),
    "count": layer.GetFeatureCount(),
    "geometry_type": ogr.GeometryTypeToName(layer.GetGeomType()),
    "epsg": reference.GetAuthorityCode(None) if reference else None,
    "invalid": [],
    "properties": {},
}
for feature in layer:
    code = feature.GetField("code")
    geometry = feature.GetGeometryRef()
    if geometry is None or geometry.IsEmpty() or not geometry.IsValid():
        report["invalid"].append(code)
    report["properties"][code] = json.loads(feature.ExportToJson())["properties"]
print(json.dumps(report))
