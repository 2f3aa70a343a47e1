-- The constituency forecast written by `ml`: one row per task (training cycles → test
-- election), target and model or baseline, with the test scores as columns and the full
-- result (chosen hyper-parameters, inner cross-validation, confusion matrix, per-family
-- recall, every constituency's forecast) as JSON.
CREATE TABLE previsions (
    id TEXT PRIMARY KEY NOT NULL,
    tache TEXT NOT NULL,
    -- tete_t1 (round-1 leader's family) or siege (seat winner's family)
    cible TEXT NOT NULL,
    -- algorithm id, or reference_presidentielle / reference_sortant
    modele TEXT NOT NULL,
    -- modele or reference
    genre TEXT NOT NULL,
    libelle TEXT NOT NULL,
    -- the test round, e.g. legislatives-2022-t1
    test TEXT NOT NULL,
    n_test INTEGER NOT NULL,
    accuracy DOUBLE NOT NULL,
    accuracy_ic_bas DOUBLE NOT NULL,
    accuracy_ic_haut DOUBLE NOT NULL,
    macro_f1 DOUBLE NOT NULL,
    log_loss DOUBLE,
    ecart_presidentielle DOUBLE NOT NULL,
    -- the model the inner cross-validation (training cycles only) prefers
    retenu BOOLEAN NOT NULL,
    resultat TEXT NOT NULL
);
