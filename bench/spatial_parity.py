"""Parity of Elexxion's spatial statistics with PySAL (esda 2.9, libpysal 4.14).

Reads our GeoJSON (`/departements.geojson`, full outlines) with geopandas, builds PySAL's own
queen contiguity weights from the geometry (libpysal `Queen.from_dataframe`), drops what we
drop (départements without a value, then islands), row-standardises, and compares with our
`/spatial/moran` and `/spatial/lisa` on the same scope:
- the neighbour sets, département by département (must be equal);
- I, E[I], Var[I] under normality and randomisation, both z-scores: to 1e-9;
- each local Ii: to 1e-9;
- the permutation pseudo p-values (999 permutations each, different random streams): within
  Monte-Carlo error, |p_ours - p_esda| <= 4 sqrt(p(1-p)/999) + 2/1000.

The same at constituency level with `circ/` before the variable: our
`/circonscriptions.geojson`, `/spatial/circonscriptions/moran` and `.../lisa`, the neighbours
of `/circonscriptions/{code}`, for the round `ELECTION` (default legislatives-2024-t1).

Usage: python spatial_parity.py BASE_URL [circ/]VARIABLE[:PERIMETRE[:ELECTION]] ...
Prints one table row per variable, exits 1 on any failure.
"""

import json
import math
import sys
import urllib.request
import warnings

import esda
import geopandas
import libpysal
import numpy as np

warnings.filterwarnings("ignore")
TOLERANCE = 1e-9


def get(url):
    with urllib.request.urlopen(url) as response:
        return response.read()


def mc_close(a, b, permutations=999):
    p = max(min((a + b) / 2, 1 - 1e-9), 1e-9)
    return abs(a - b) <= 4 * math.sqrt(p * (1 - p) / permutations) + 2 / (permutations + 1)


def main():
    base = sys.argv[1].rstrip("/")
    failures = []
    print(
        "| variable | perimetre | n | I (ours) | I (esda) | max abs diff: I, E[I], Var_norm, Var_rand, z_norm, z_rand | max abs diff Ii | p_sim ours / esda | LISA p within MC error |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for spec in sys.argv[2:]:
        circ = spec.startswith("circ/")
        spec = spec.removeprefix("circ/")
        variable, _, rest = spec.partition(":")
        perimetre, _, election = rest.partition(":")
        perimetre = perimetre or "france"
        if circ:
            election = election or "legislatives-2024-t1"
            niveau, detail_path = "circonscriptions", "/circonscriptions/"
            spatial = "/spatial/circonscriptions"
            label = f"{variable} (circonscriptions, {election})"
        else:
            niveau, detail_path, spatial, label = "departements", "/departements/", "/spatial", variable
        scope = f"variable={variable}&perimetre={perimetre}" + (f"&election={election}" if election else "")
        path = f"/tmp/elexxion-spatial-{niveau}-{perimetre}.geojson"
        with open(path, "wb") as f:
            f.write(get(f"{base}/{niveau}.geojson?perimetre={perimetre}" + (f"&election={election}" if election else "")))
        gdf = geopandas.read_file(path)
        ours = json.loads(get(f"{base}{spatial}/moran?{scope}"))
        local = json.loads(get(f"{base}{spatial}/lisa?{scope}"))
        kept = [line["code"] for line in local["lignes"]]
        gdf = gdf[gdf["code"].isin(kept)].sort_values("code").reset_index(drop=True)
        assert list(gdf["code"]) == sorted(kept), "same départements"
        w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, ids=list(gdf["code"]))
        assert not w.islands, f"PySAL finds islands we kept: {w.islands}"
        # The neighbour sets, from the geometry (PySAL) and from our table (the API).
        for code in gdf["code"]:
            detail = json.loads(get(f"{base}{detail_path}{code}"))
            ours_neighbours = {v["code"] for v in detail["voisins"]} & set(kept)
            if set(w.neighbors[code]) != ours_neighbours:
                failures.append(f"{variable}: neighbours of {code}: {sorted(w.neighbors[code])} vs {sorted(ours_neighbours)}")
        w.transform = "r"
        by_code = {line["code"]: line for line in local["lignes"]}
        y = np.array([by_code[c]["valeur"] for c in gdf["code"]], dtype=float)
        m = esda.Moran(y, w, permutations=999)
        pairs = [
            (ours["i"], m.I),
            (ours["esperance"], m.EI),
            (ours["variance_normalite"], m.VI_norm),
            (ours["variance_randomisation"], m.VI_rand),
            (ours["z_normalite"], m.z_norm),
            (ours["z_randomisation"], m.z_rand),
        ]
        global_diff = max(abs(a - b) for a, b in pairs)
        if global_diff > TOLERANCE:
            failures.append(f"{variable}: global statistics differ by {global_diff:.3e}")
        if not mc_close(ours["p_permutations"], m.p_sim):
            failures.append(f"{variable}: p_sim {ours['p_permutations']} vs {m.p_sim}")
        lm = esda.Moran_Local(y, w, permutations=999, seed=12345)
        ii = np.array([by_code[c]["i"] for c in gdf["code"]])
        local_diff = float(np.max(np.abs(ii - lm.Is)))
        if local_diff > TOLERANCE:
            failures.append(f"{variable}: local Ii differ by {local_diff:.3e}")
        # The quadrants (esda's q: 1 HH, 2 LH, 3 LL, 4 HL) from our z and lag.
        for k, code in enumerate(gdf["code"]):
            line = by_code[code]
            q = {(True, True): 1, (False, True): 2, (False, False): 3, (True, False): 4}[
                (line["z"] > 0, line["decalage"] > 0)
            ]
            if q != int(lm.q[k]):
                failures.append(f"{variable}: quadrant of {code}: {q} vs {int(lm.q[k])}")
        p_ours = np.array([by_code[c]["p"] for c in gdf["code"]])
        within = sum(mc_close(a, b) for a, b in zip(p_ours, lm.p_sim))
        # Monte-Carlo error: a few of 96 (or 563) tests may fall just outside 4 sigma by chance.
        if within < len(p_ours) - max(2, len(p_ours) // 50):
            failures.append(f"{variable}: only {within}/{len(p_ours)} LISA p-values within MC error")
        # The false-discovery-rate correction: esda's own Benjamini-Hochberg threshold applied
        # to our p-values (drawn with more permutations) must flag the same units as ours.
        corrected = json.loads(get(f"{base}{spatial}/lisa?{scope}&correction=fdr"))
        p_fdr_run = np.array([line["p"] for line in corrected["lignes"]])
        threshold = esda.fdr(p_fdr_run, corrected["alpha"])
        esda_set = {line["code"] for line, p in zip(corrected["lignes"], p_fdr_run) if p < threshold}
        our_set = {line["code"] for line in corrected["lignes"] if line["quadrant"] != "ns"}
        if esda_set != our_set:
            failures.append(f"{variable}: FDR sets differ: {sorted(esda_set ^ our_set)}")
        print(f"FDR {label} {perimetre}: {len(our_set)} significant, esda.fdr threshold {threshold:.5f}, same set: {esda_set == our_set}")
        print(
            f"| {label} | {perimetre} | {w.n} | {ours['i']:.12f} | {m.I:.12f} | {global_diff:.1e} | {local_diff:.1e} "
            f"| {ours['p_permutations']:.3f} / {m.p_sim:.3f} | {within}/{len(p_ours)} |"
        )
    for failure in failures:
        print("FAIL", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
