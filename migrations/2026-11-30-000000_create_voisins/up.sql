-- Queen contiguity of the départements (sharing at least one boundary point), both ways:
-- (a, b) and (b, a). Computed by etl from the départements' outlines; islands and overseas
-- départements have no row.
CREATE TABLE voisins (
    departement_code TEXT NOT NULL REFERENCES departements (code),
    voisin_code TEXT NOT NULL REFERENCES departements (code),
    PRIMARY KEY (departement_code, voisin_code),
    CHECK (departement_code <> voisin_code)
);
