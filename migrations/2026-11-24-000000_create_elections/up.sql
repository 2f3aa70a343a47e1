-- Reference data: regions, départements (and the other constituencies of the
-- election files), political families, rounds, candidates.
CREATE TABLE regions (
    code TEXT PRIMARY KEY NOT NULL,
    nom TEXT NOT NULL
);

CREATE TABLE departements (
    -- INSEE code ('01', '2A', '971'); election-file code when INSEE has none ('ZX', 'ZZ')
    code TEXT PRIMARY KEY NOT NULL,
    -- code used by the Ministry's election files ('01', '2A', 'ZA')
    code_election TEXT NOT NULL UNIQUE,
    nom TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    -- false for overseas collectivities and French people abroad
    est_departement BOOLEAN NOT NULL
);

CREATE TABLE familles (
    code TEXT PRIMARY KEY NOT NULL,
    libelle TEXT NOT NULL,
    ordre INTEGER NOT NULL UNIQUE
);

CREATE TABLE tours (
    numero INTEGER PRIMARY KEY NOT NULL CHECK (numero IN (1, 2)),
    date_scrutin TEXT NOT NULL
);

CREATE TABLE candidats (
    id INTEGER PRIMARY KEY NOT NULL,
    nom TEXT NOT NULL,
    prenom TEXT NOT NULL,
    sexe TEXT NOT NULL CHECK (sexe IN ('F', 'M')),
    famille_code TEXT NOT NULL REFERENCES familles (code),
    UNIQUE (nom, prenom)
);

-- Turnout per département and round (counts only: rates are derived).
CREATE TABLE participations (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    tour INTEGER NOT NULL REFERENCES tours (numero),
    inscrits BIGINT NOT NULL CHECK (inscrits >= 0),
    abstentions BIGINT NOT NULL CHECK (abstentions >= 0),
    votants BIGINT NOT NULL CHECK (votants >= 0),
    blancs BIGINT NOT NULL CHECK (blancs >= 0),
    nuls BIGINT NOT NULL CHECK (nuls >= 0),
    exprimes BIGINT NOT NULL CHECK (exprimes >= 0),
    PRIMARY KEY (departement_code, tour),
    CHECK (inscrits = abstentions + votants),
    CHECK (votants = blancs + nuls + exprimes)
);

CREATE TABLE resultats (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    tour INTEGER NOT NULL REFERENCES tours (numero),
    candidat_id INTEGER NOT NULL REFERENCES candidats (id),
    voix BIGINT NOT NULL CHECK (voix >= 0),
    PRIMARY KEY (departement_code, tour, candidat_id)
);

-- INSEE localised ILO unemployment rate, quarterly, seasonally adjusted (%).
CREATE TABLE chomage (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    annee INTEGER NOT NULL,
    trimestre INTEGER NOT NULL CHECK (trimestre BETWEEN 1 AND 4),
    taux DOUBLE NOT NULL CHECK (taux >= 0 AND taux <= 100),
    PRIMARY KEY (departement_code, annee, trimestre)
);
