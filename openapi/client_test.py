"""Calls the API through the client that openapi-python-client generated from
openapi/openapi.json (see openapi/clients.sh): typed models in, typed models out."""

import os

from openapi_client import Client
from openapi_client.api.departements import get_departement
from openapi_client.api.modeles import predict
from openapi_client.api.service import get_health
from openapi_client.api.spatial import spatial_moran
from openapi_client.models import Variable
from openapi_client.models import Prediction, PredictionRequest, Problem
from openapi_client.models.prediction_request_overrides_type_0 import (
    PredictionRequestOverridesType0,
)

client = Client(base_url=os.environ["BASE_URL"], raise_on_unexpected_status=True)

health = get_health.sync(client=client)
assert health.status == "ok", health
assert health.lignes["departements"] == 107, health.lignes.to_dict()
print(f"/health: {health.status}, data version {health.version_donnees}")

nord = get_departement.sync(client=client, code="59")
assert nord.code == "59" and nord.nom == "Nord", nord
assert nord.region.code == "32"
assert [t.tour for t in nord.tours] == [1, 2]
first = nord.tours[0]
assert sum(c.voix for c in first.candidats) == first.exprimes
print(f"/departements/59: {nord.nom}, {len(first.candidats)} candidates in round 1")

overrides = PredictionRequestOverridesType0()
overrides["taux_chomage"] = 11.5
answer = predict.sync(
    client=client,
    body=PredictionRequest(departement="59", overrides=overrides),
)
assert isinstance(answer, Prediction), answer
assert abs(sum(p.probabilite for p in answer.probabilites) - 1) < 1e-9
assert answer.features["taux_chomage"] == 11.5
print(f"POST /predict: {answer.famille_predite} with model {answer.modele}")

# A refusal comes back as the generated Problem model.
refused = predict.sync_detailed(client=client, body=PredictionRequest(departement="999"))
assert refused.status_code == 404, refused.status_code
assert isinstance(refused.parsed, Problem), refused.parsed
assert refused.parsed.status == 404
print(f"POST /predict for 999: {refused.status_code} {refused.parsed.title}")
# Spatial statistics: the flattened scope (allOf) reads back as typed fields.
moran = spatial_moran.sync(
    client=client, variable=Variable.PART_EXTREME_DROITE, perimetre="metropole"
)
assert moran.n == 96 and moran.perimetre == "metropole", moran
assert moran.i > 0.5 and moran.p_permutations <= 0.002, moran
print(f"/spatial/moran: I = {moran.i:.3f}, p = {moran.p_permutations}")
print("OK: the generated client works against the server")
