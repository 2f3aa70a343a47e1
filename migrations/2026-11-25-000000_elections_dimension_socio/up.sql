-- Elections become a dimension (year + round): the 2017 presidential election joins 2022
-- in the same participation and results tables. SQLite cannot change a primary key in
-- place, so both tables are rebuilt; rows already present are the 2022 election's.
CREATE TABLE elections (
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL CHECK (tour IN (1, 2)),
    date_scrutin TEXT NOT NULL UNIQUE,
    PRIMARY KEY (annee, tour)
);
INSERT INTO elections (annee, tour, date_scrutin) SELECT 2022, numero, date_scrutin FROM tours;

CREATE TABLE participations_annee (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    inscrits BIGINT NOT NULL CHECK (inscrits >= 0),
    abstentions BIGINT NOT NULL CHECK (abstentions >= 0),
    votants BIGINT NOT NULL CHECK (votants >= 0),
    blancs BIGINT NOT NULL CHECK (blancs >= 0),
    nuls BIGINT NOT NULL CHECK (nuls >= 0),
    exprimes BIGINT NOT NULL CHECK (exprimes >= 0),
    PRIMARY KEY (departement_code, annee, tour),
    FOREIGN KEY (annee, tour) REFERENCES elections (annee, tour),
    CHECK (inscrits = abstentions + votants),
    CHECK (votants = blancs + nuls + exprimes)
);
INSERT INTO participations_annee
SELECT departement_code, 2022, tour, inscrits, abstentions, votants, blancs, nuls, exprimes
FROM participations;

CREATE TABLE resultats_annee (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    candidat_id INTEGER NOT NULL REFERENCES candidats (id),
    voix BIGINT NOT NULL CHECK (voix >= 0),
    PRIMARY KEY (departement_code, annee, tour, candidat_id),
    FOREIGN KEY (annee, tour) REFERENCES elections (annee, tour)
);
INSERT INTO resultats_annee
SELECT departement_code, 2022, tour, candidat_id, voix FROM resultats;

DROP TABLE resultats;
DROP TABLE participations;
DROP TABLE tours;
ALTER TABLE participations_annee RENAME TO participations;
ALTER TABLE resultats_annee RENAME TO resultats;

-- Socio-economic indicators per département: one row per (département, indicator) with
-- the year and source of the value; `valeur` is NULL when the source has no value or an
-- experimental one (Mayotte's Filosofi row), never a placeholder number.
CREATE TABLE indicateurs_socio (
    code TEXT PRIMARY KEY NOT NULL,
    libelle TEXT NOT NULL,
    unite TEXT NOT NULL,
    ordre INTEGER NOT NULL UNIQUE
);

CREATE TABLE socio_economie (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    indicateur TEXT NOT NULL REFERENCES indicateurs_socio (code),
    annee INTEGER NOT NULL,
    source TEXT NOT NULL,
    valeur DOUBLE,
    PRIMARY KEY (departement_code, indicateur)
);

-- Which feature set (see ml::features) each model was trained on.
ALTER TABLE modeles ADD COLUMN jeu_features TEXT NOT NULL DEFAULT 'indicateurs_2022';
