// @generated automatically by Diesel CLI.

diesel::table! {
    candidats (id) {
        id -> Integer,
        nom -> Text,
        prenom -> Text,
        sexe -> Text,
        famille_code -> Text,
    }
}

diesel::table! {
    chomage (departement_code, annee, trimestre) {
        departement_code -> Text,
        annee -> Integer,
        trimestre -> Integer,
        taux -> Double,
    }
}

diesel::table! {
    departements (code) {
        code -> Text,
        code_election -> Text,
        nom -> Text,
        region_code -> Text,
        est_departement -> Bool,
    }
}

diesel::table! {
    familles (code) {
        code -> Text,
        libelle -> Text,
        ordre -> Integer,
    }
}

diesel::table! {
    modeles (id) {
        id -> Text,
        algorithme -> Text,
        libelle -> Text,
        trimestre -> Text,
        features -> Text,
        classes -> Text,
        n_echantillons -> Integer,
        accuracy_moyenne -> Double,
        accuracy_ecart_type -> Double,
        macro_f1 -> Double,
        auc_macro -> Double,
        holdout_accuracy_test -> Double,
        evaluation -> Text,
        artefact -> Text,
    }
}

diesel::table! {
    participations (departement_code, tour) {
        departement_code -> Text,
        tour -> Integer,
        inscrits -> BigInt,
        abstentions -> BigInt,
        votants -> BigInt,
        blancs -> BigInt,
        nuls -> BigInt,
        exprimes -> BigInt,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        nom -> Text,
    }
}

diesel::table! {
    resultats (departement_code, tour, candidat_id) {
        departement_code -> Text,
        tour -> Integer,
        candidat_id -> Integer,
        voix -> BigInt,
    }
}

diesel::table! {
    tours (numero) {
        numero -> Integer,
        date_scrutin -> Text,
    }
}

diesel::joinable!(candidats -> familles (famille_code));
diesel::joinable!(chomage -> departements (departement_code));
diesel::joinable!(departements -> regions (region_code));
diesel::joinable!(participations -> departements (departement_code));
diesel::joinable!(participations -> tours (tour));
diesel::joinable!(resultats -> candidats (candidat_id));
diesel::joinable!(resultats -> departements (departement_code));
diesel::joinable!(resultats -> tours (tour));

diesel::allow_tables_to_appear_in_same_query!(
    candidats,
    chomage,
    departements,
    familles,
    modeles,
    participations,
    regions,
    resultats,
    tours,
);
