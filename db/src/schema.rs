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
    elections (type_election, annee, tour) {
        type_election -> Text,
        annee -> Integer,
        tour -> Integer,
        date_scrutin -> Text,
        statut -> Text,
        niveaux -> Text,
        source -> Text,
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
    indicateurs_socio (code) {
        code -> Text,
        libelle -> Text,
        unite -> Text,
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
        jeu_features -> Text,
    }
}

diesel::table! {
    previsions (id) {
        id -> Text,
        tache -> Text,
        cible -> Text,
        modele -> Text,
        genre -> Text,
        libelle -> Text,
        test -> Text,
        n_test -> Integer,
        accuracy -> Double,
        accuracy_ic_bas -> Double,
        accuracy_ic_haut -> Double,
        macro_f1 -> Double,
        log_loss -> Nullable<Double>,
        ecart_presidentielle -> Double,
        retenu -> Bool,
        resultat -> Text,
    }
}

diesel::table! {
    participations (departement_code, type_election, annee, tour) {
        departement_code -> Text,
        type_election -> Text,
        annee -> Integer,
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
    resultats (departement_code, type_election, annee, tour, candidat_id) {
        departement_code -> Text,
        type_election -> Text,
        annee -> Integer,
        tour -> Integer,
        candidat_id -> Integer,
        voix -> BigInt,
    }
}

diesel::table! {
    nuances (type_election, annee, code) {
        type_election -> Text,
        annee -> Integer,
        code -> Text,
        libelle -> Text,
        famille_code -> Text,
    }
}

diesel::table! {
    resultats_nuances (departement_code, type_election, annee, tour, nuance) {
        departement_code -> Text,
        type_election -> Text,
        annee -> Integer,
        tour -> Integer,
        nuance -> Text,
        voix -> BigInt,
    }
}

diesel::table! {
    sieges (departement_code, type_election, annee, tour, nuance) {
        departement_code -> Text,
        type_election -> Text,
        annee -> Integer,
        tour -> Integer,
        nuance -> Text,
        nombre -> Integer,
    }
}

diesel::table! {
    socio_economie (departement_code, indicateur) {
        departement_code -> Text,
        indicateur -> Text,
        annee -> Integer,
        source -> Text,
        valeur -> Nullable<Double>,
    }
}

diesel::table! {
    contours (departement_code) {
        departement_code -> Text,
        projection -> Text,
        tolerance_m -> Double,
        carte -> Text,
        wgs84 -> Text,
        wgs84_simplifie -> Text,
    }
}

diesel::table! {
    voisins (departement_code, voisin_code) {
        departement_code -> Text,
        voisin_code -> Text,
    }
}

diesel::table! {
    circonscriptions (code) {
        code -> Text,
        departement_code -> Text,
        numero -> Integer,
        nom -> Text,
    }
}

diesel::table! {
    participations_circonscriptions (circonscription_code, type_election, annee, tour) {
        circonscription_code -> Text,
        type_election -> Text,
        annee -> Integer,
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
    candidatures_circonscriptions (circonscription_code, type_election, annee, tour, rang) {
        circonscription_code -> Text,
        type_election -> Text,
        annee -> Integer,
        tour -> Integer,
        rang -> Integer,
        candidat -> Text,
        nuance -> Nullable<Text>,
        famille_code -> Text,
        voix -> BigInt,
        elu -> Bool,
    }
}

diesel::table! {
    contours_circonscriptions (circonscription_code) {
        circonscription_code -> Text,
        projection -> Text,
        tolerance_m -> Double,
        carte -> Text,
        wgs84 -> Text,
        wgs84_simplifie -> Text,
    }
}

diesel::table! {
    voisins_circonscriptions (circonscription_code, voisin_code) {
        circonscription_code -> Text,
        voisin_code -> Text,
    }
}

diesel::joinable!(candidats -> familles (famille_code));
diesel::joinable!(chomage -> departements (departement_code));
diesel::joinable!(contours -> departements (departement_code));
diesel::joinable!(circonscriptions -> departements (departement_code));
diesel::joinable!(departements -> regions (region_code));
diesel::joinable!(participations -> departements (departement_code));
diesel::joinable!(resultats -> candidats (candidat_id));
diesel::joinable!(resultats -> departements (departement_code));
diesel::joinable!(nuances -> familles (famille_code));
diesel::joinable!(resultats_nuances -> departements (departement_code));
diesel::joinable!(sieges -> departements (departement_code));
diesel::joinable!(socio_economie -> departements (departement_code));
diesel::joinable!(socio_economie -> indicateurs_socio (indicateur));

diesel::allow_tables_to_appear_in_same_query!(
    candidats,
    candidatures_circonscriptions,
    circonscriptions,
    contours_circonscriptions,
    participations_circonscriptions,
    voisins_circonscriptions,
    chomage,
    contours,
    departements,
    elections,
    familles,
    indicateurs_socio,
    modeles,
    previsions,
    nuances,
    participations,
    regions,
    resultats,
    resultats_nuances,
    sieges,
    socio_economie,
    voisins,
);
