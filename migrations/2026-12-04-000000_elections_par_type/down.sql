DROP TABLE sieges;
DROP TABLE resultats_nuances;
DROP TABLE nuances;
CREATE TABLE elections_annee (
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL CHECK (tour IN (1, 2)),
    date_scrutin TEXT NOT NULL UNIQUE,
    PRIMARY KEY (annee, tour)
);
INSERT INTO elections_annee SELECT annee, tour, date_scrutin FROM elections WHERE type_election = 'presidentielle';
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
SELECT departement_code, annee, tour, inscrits, abstentions, votants, blancs, nuls, exprimes
FROM participations WHERE type_election = 'presidentielle';
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
SELECT departement_code, annee, tour, candidat_id, voix FROM resultats WHERE type_election = 'presidentielle';
DROP TABLE resultats;
DROP TABLE participations;
DROP TABLE elections;
ALTER TABLE elections_annee RENAME TO elections;
ALTER TABLE participations_annee RENAME TO participations;
ALTER TABLE resultats_annee RENAME TO resultats;
