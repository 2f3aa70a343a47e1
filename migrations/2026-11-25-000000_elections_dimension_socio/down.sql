ALTER TABLE modeles DROP COLUMN jeu_features;
DROP TABLE socio_economie;
DROP TABLE indicateurs_socio;

CREATE TABLE tours (
    numero INTEGER PRIMARY KEY NOT NULL CHECK (numero IN (1, 2)),
    date_scrutin TEXT NOT NULL
);
INSERT INTO tours (numero, date_scrutin) SELECT tour, date_scrutin FROM elections WHERE annee = 2022;

CREATE TABLE participations_tour (
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
INSERT INTO participations_tour
SELECT departement_code, tour, inscrits, abstentions, votants, blancs, nuls, exprimes
FROM participations WHERE annee = 2022;

CREATE TABLE resultats_tour (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    tour INTEGER NOT NULL REFERENCES tours (numero),
    candidat_id INTEGER NOT NULL REFERENCES candidats (id),
    voix BIGINT NOT NULL CHECK (voix >= 0),
    PRIMARY KEY (departement_code, tour, candidat_id)
);
INSERT INTO resultats_tour
SELECT departement_code, tour, candidat_id, voix FROM resultats WHERE annee = 2022;

DROP TABLE resultats;
DROP TABLE participations;
DROP TABLE elections;
ALTER TABLE participations_tour RENAME TO participations;
ALTER TABLE resultats_tour RENAME TO resultats;
