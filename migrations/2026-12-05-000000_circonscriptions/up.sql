-- The 577 legislative constituencies as a level of their own (etl/reference/circonscriptions.csv):
-- code = the département's election code and the number on two digits ('0101', '2A01', 'ZA01',
-- 'ZZ11'), whatever the files write ('01'+'01', '101', '0101', 'ZZ09').
CREATE TABLE circonscriptions (
    code TEXT PRIMARY KEY NOT NULL,
    departement_code TEXT NOT NULL REFERENCES departements (code),
    numero INTEGER NOT NULL CHECK (numero >= 1),
    nom TEXT NOT NULL,
    UNIQUE (departement_code, numero)
);

-- Turnout per constituency and round (every round that has a file by constituency).
CREATE TABLE participations_circonscriptions (
    circonscription_code TEXT NOT NULL REFERENCES circonscriptions (code),
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    inscrits BIGINT NOT NULL CHECK (inscrits >= 0),
    abstentions BIGINT NOT NULL CHECK (abstentions >= 0),
    votants BIGINT NOT NULL CHECK (votants >= 0),
    blancs BIGINT NOT NULL CHECK (blancs >= 0),
    nuls BIGINT NOT NULL CHECK (nuls >= 0),
    exprimes BIGINT NOT NULL CHECK (exprimes >= 0),
    PRIMARY KEY (circonscription_code, type_election, annee, tour),
    FOREIGN KEY (type_election, annee, tour) REFERENCES elections (type_election, annee, tour),
    CHECK (inscrits = abstentions + votants),
    CHECK (votants = blancs + nuls + exprimes)
);

-- Every candidate of a constituency and round, in the file's order (rang from 1): name, the
-- Ministry's nuance (legislative; NULL for a presidential candidate), the study's family, votes
-- and whether elected in this round (the file's flag, or the rules where it has none).
CREATE TABLE candidatures_circonscriptions (
    circonscription_code TEXT NOT NULL REFERENCES circonscriptions (code),
    type_election TEXT NOT NULL,
    annee INTEGER NOT NULL,
    tour INTEGER NOT NULL,
    rang INTEGER NOT NULL CHECK (rang >= 1),
    candidat TEXT NOT NULL,
    nuance TEXT,
    famille_code TEXT NOT NULL REFERENCES familles (code),
    voix BIGINT NOT NULL CHECK (voix >= 0),
    elu BOOLEAN NOT NULL,
    PRIMARY KEY (circonscription_code, type_election, annee, tour, rang),
    FOREIGN KEY (type_election, annee, tour) REFERENCES elections (type_election, annee, tour)
);

-- The outline of each constituency with a territory (566: the 11 of French people abroad have
-- none), from geo/france-circonscriptions-legislatives-2012.geojson (ODbL), projected and
-- simplified as the départements' are (see the contours migration).
CREATE TABLE contours_circonscriptions (
    circonscription_code TEXT PRIMARY KEY NOT NULL REFERENCES circonscriptions (code),
    projection TEXT NOT NULL,
    tolerance_m DOUBLE NOT NULL CHECK (tolerance_m > 0),
    carte TEXT NOT NULL,
    wgs84 TEXT NOT NULL,
    wgs84_simplifie TEXT NOT NULL
);

-- Queen contiguity of the constituencies, both ways.
CREATE TABLE voisins_circonscriptions (
    circonscription_code TEXT NOT NULL REFERENCES circonscriptions (code),
    voisin_code TEXT NOT NULL REFERENCES circonscriptions (code),
    PRIMARY KEY (circonscription_code, voisin_code),
    CHECK (circonscription_code <> voisin_code)
);
