-- Every election is data: a round is keyed by (type, year, round), so the 2022 presidential
-- and legislative rounds stand side by side. Results come by candidate (presidential) or by
-- the Ministry's political label, its nuance (legislative), and each nuance belongs to one
-- family of the study. Seats won per département, nuance and round come from the
-- constituency files. SQLite cannot change a primary key in place: the election tables are
-- rebuilt; the rows already present are presidential.
CREATE TABLE elections_par_type (
    type_election TEXT NOT NULL CHECK (type_election IN ('presidentielle', 'legislatives', 'europeennes')),
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL CHECK (tour IN (1, 2)),
    date_scrutin TEXT NOT NULL,
    -- 'definitif' for the Ministry's final results
    statut TEXT NOT NULL,
    -- comma-separated levels the raw files give: 'departement', 'circonscription'
    niveaux TEXT NOT NULL,
    -- publisher and dataset of the raw files
    source TEXT NOT NULL,
    PRIMARY KEY (type_election, annee, tour),
    UNIQUE (type_election, date_scrutin)
);
INSERT INTO elections_par_type
SELECT 'presidentielle', annee, tour, date_scrutin, 'definitif', 'departement', 'Ministère de l''Intérieur' FROM elections;

CREATE TABLE participations_par_type (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    inscrits BIGINT NOT NULL CHECK (inscrits >= 0),
    abstentions BIGINT NOT NULL CHECK (abstentions >= 0),
    votants BIGINT NOT NULL CHECK (votants >= 0),
    blancs BIGINT NOT NULL CHECK (blancs >= 0),
    nuls BIGINT NOT NULL CHECK (nuls >= 0),
    exprimes BIGINT NOT NULL CHECK (exprimes >= 0),
    PRIMARY KEY (departement_code, type_election, annee, tour),
    FOREIGN KEY (type_election, annee, tour) REFERENCES elections_par_type (type_election, annee, tour),
    CHECK (inscrits = abstentions + votants),
    CHECK (votants = blancs + nuls + exprimes)
);
INSERT INTO participations_par_type
SELECT departement_code, 'presidentielle', annee, tour, inscrits, abstentions, votants, blancs, nuls, exprimes
FROM participations;

CREATE TABLE resultats_par_type (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    candidat_id INTEGER NOT NULL REFERENCES candidats (id),
    voix BIGINT NOT NULL CHECK (voix >= 0),
    PRIMARY KEY (departement_code, type_election, annee, tour, candidat_id),
    FOREIGN KEY (type_election, annee, tour) REFERENCES elections_par_type (type_election, annee, tour)
);
INSERT INTO resultats_par_type
SELECT departement_code, 'presidentielle', annee, tour, candidat_id, voix FROM resultats;

DROP TABLE resultats;
DROP TABLE participations;
DROP TABLE elections;
ALTER TABLE elections_par_type RENAME TO elections;
ALTER TABLE participations_par_type RENAME TO participations;
ALTER TABLE resultats_par_type RENAME TO resultats;

-- The Ministry's political labels of one election (its nuance grid) and the study's family
-- of each (etl/reference/nuances.csv, reasons in docs/elections.md).
CREATE TABLE nuances (
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    code TEXT NOT NULL,
    libelle TEXT NOT NULL,
    famille_code TEXT NOT NULL REFERENCES familles (code),
    PRIMARY KEY (type_election, annee, code)
);

-- Votes per département, round and nuance (legislative elections).
CREATE TABLE resultats_nuances (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    nuance TEXT NOT NULL,
    voix BIGINT NOT NULL CHECK (voix >= 0),
    PRIMARY KEY (departement_code, type_election, annee, tour, nuance),
    FOREIGN KEY (type_election, annee, tour) REFERENCES elections (type_election, annee, tour),
    FOREIGN KEY (type_election, annee, nuance) REFERENCES nuances (type_election, annee, code)
);

-- Seats won per département, round and nuance (from the constituency files: 577 per election).
CREATE TABLE sieges (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    nuance TEXT NOT NULL,
    nombre INTEGER NOT NULL CHECK (nombre > 0),
    PRIMARY KEY (departement_code, type_election, annee, tour, nuance),
    FOREIGN KEY (type_election, annee, tour) REFERENCES elections (type_election, annee, tour),
    FOREIGN KEY (type_election, annee, nuance) REFERENCES nuances (type_election, annee, code)
);
