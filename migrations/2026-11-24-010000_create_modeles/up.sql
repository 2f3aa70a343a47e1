-- Models written by `ml`: metrics of the cross-validation, the full evaluation and the model
-- refit on all samples (both as JSON), so that dump.sql carries them.
CREATE TABLE modeles (
    id TEXT PRIMARY KEY NOT NULL,
    algorithme TEXT NOT NULL,
    libelle TEXT NOT NULL,
    -- unemployment quarter of the features, YYYY-Tn
    trimestre TEXT NOT NULL,
    -- comma-separated feature names, in the order the model expects them
    features TEXT NOT NULL,
    -- comma-separated family codes, in the order of the probabilities
    classes TEXT NOT NULL,
    n_echantillons INTEGER NOT NULL,
    accuracy_moyenne DOUBLE NOT NULL,
    accuracy_ecart_type DOUBLE NOT NULL,
    macro_f1 DOUBLE NOT NULL,
    auc_macro DOUBLE NOT NULL,
    holdout_accuracy_test DOUBLE NOT NULL,
    evaluation TEXT NOT NULL,
    artefact TEXT NOT NULL
);
