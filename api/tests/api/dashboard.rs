//! The HTML pages, parsed from the real server's answers.

use crate::common::{TestApp, spawn_app};
use scraper::{Html, Selector};

fn select(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn attr(html: &Html, css: &str, name: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    html.select(&selector)
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

/// Text of the rows (header cell, or whole row) of the table whose caption contains `caption`.
fn table_rows(html: &Html, caption: &str, cells: &str) -> Vec<String> {
    let tables = Selector::parse("table").unwrap();
    let caption_sel = Selector::parse("caption").unwrap();
    let cells = Selector::parse(cells).unwrap();
    html.select(&tables)
        .find(|t| {
            t.select(&caption_sel)
                .any(|c| c.text().collect::<String>().contains(caption))
        })
        .map(|t| {
            t.select(&cells)
                .map(|e| e.text().collect::<String>())
                .collect()
        })
        .unwrap_or_default()
}

/// GET a page, check the headers every page has, and parse it.
async fn page(app: &TestApp, path: &str, status: u16) -> (Html, String) {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), status, "{path}");
    let headers = response.headers().clone();
    assert_eq!(
        headers["content-type"], "text/html; charset=utf-8",
        "{path}"
    );
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'none'"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let text = response.text().await.unwrap();
    assert!(
        !text.to_lowercase().contains("<script"),
        "{path} has a script"
    );
    assert!(text.starts_with("<!DOCTYPE html>"), "{path}");
    (Html::parse_document(&text), text)
}

/// Structure every page shares: language, title, navigation, labelled fields, alt texts.
fn check_structure(html: &Html, path: &str) {
    assert_eq!(attr(html, "html", "lang"), ["fr"], "{path}");
    assert_eq!(select(html, "h1").len(), 1, "{path}: one h1");
    assert!(select(html, "title")[0].ends_with("· Elexxion"), "{path}");
    assert_eq!(
        select(html, "nav a"),
        [
            "Accueil",
            "Visualisations",
            "Exploration",
            "Circonscriptions",
            "Machine Learning",
            "API (Swagger UI)"
        ]
    );
    // Every form field has a label pointing at it.
    let labels = attr(html, "label", "for");
    for id in attr(html, "select, input:not([type=hidden])", "id") {
        assert!(labels.contains(&id), "{path}: field {id} has no label");
    }
    assert_eq!(
        attr(html, "select, input:not([type=hidden])", "id").len(),
        select(html, "select, input:not([type=hidden])").len(),
        "{path}: a field without an id"
    );
    for alt in attr(html, "img", "alt") {
        assert!(alt.len() > 10, "{path}: alt text '{alt}'");
    }
    assert_eq!(
        attr(html, "img", "alt").len(),
        select(html, "img").len(),
        "{path}: an image without alt"
    );
    // Forms are GET forms to this server: no JavaScript needed.
    for method in attr(html, "form", "method") {
        assert_eq!(method, "get");
    }
}

/// Every image of the page is a chart the server renders, and its PNG link works too.
async fn check_images(app: &TestApp, html: &Html, path: &str) -> usize {
    let sources = attr(html, "img", "src");
    for src in &sources {
        assert!(src.starts_with("/charts/"), "{path}: {src}");
        let response = app.get(src).await;
        assert_eq!(response.status(), 200, "{path}: {src}");
        assert_eq!(response.headers()["content-type"], "image/svg+xml", "{src}");
        let body = response.text().await.unwrap();
        assert!(body.contains("<svg"), "{src}");
    }
    let links: Vec<String> = attr(html, "figcaption a", "href");
    assert_eq!(links.len(), 2 * sources.len(), "{path}: SVG and PNG links");
    for (svg, png) in links.iter().step_by(2).zip(links.iter().skip(1).step_by(2)) {
        assert!(sources.contains(svg), "{svg}");
        assert_eq!(png, &svg.replacen(".svg", ".png", 1));
    }
    // The printed URLs are absolute, to paste into slides.
    for code in select(html, "figcaption code") {
        assert!(code.starts_with(&app.address), "{code}");
    }
    sources.len()
}

#[tokio::test]
async fn accueil_gives_national_figures_sources_and_links() {
    let app = spawn_app().await;
    let (html, text) = page(&app, "/", 200).await;
    check_structure(&html, "/");
    let sections = select(&html, "h2");
    for heading in [
        "Chiffres clés, France entière",
        "1er tour (10 avril 2022)",
        "2d tour (24 avril 2022)",
        "Sources et licences",
        "API",
        "Catalogue des graphiques",
    ] {
        assert!(sections.iter().any(|h| h == heading), "{heading}");
    }
    // National totals, as proclaimed: 48,747,876 registered in round 1, Macron 58.5 % in round 2.
    let national = app.json("/indicateurs/national?tour=1").await;
    assert_eq!(national["inscrits"], 48_747_876);
    assert!(text.contains("48\u{202F}747\u{202F}876"));
    assert!(text.contains("58,5 %"));
    assert!(text.contains("Licence Ouverte 2.0"));
    let hrefs = attr(&html, "a", "href");
    for target in [
        "/swagger-ui/",
        "/api-docs/openapi.json",
        "/visualisations",
        "/exploration",
        "/apprentissage",
    ] {
        assert!(hrefs.iter().any(|h| h == target), "{target}");
    }
    // Every catalogue link is a working chart.
    let catalogue: Vec<String> = hrefs
        .into_iter()
        .filter(|h| h.starts_with("/charts/"))
        .collect();
    // The catalogue's 20 charts, and the SVG and PNG links under the leading-family map.
    assert_eq!(catalogue.len(), 22);
    assert_eq!(check_images(&app, &html, "/").await, 1);
    assert!(attr(&html, "img", "src")[0].starts_with("/charts/carte/famille-gagnante.svg?"));
    for link in catalogue {
        assert_eq!(app.get(&link).await.status(), 200, "{link}");
    }
}

#[tokio::test]
async fn visualisations_follow_the_form() {
    let app = spawn_app().await;
    let (html, text) = page(&app, "/visualisations", 200).await;
    check_structure(&html, "/visualisations");
    // r and ρ over France and over metropolitan France side by side, as /correlations has them.
    let cells = table_rows(&html, "France entière et métropole", "tbody th, tbody td");
    assert_eq!(cells[0], "France entière");
    assert_eq!(cells[1], "100");
    assert_eq!(cells[4], "Métropole");
    assert_eq!(cells[5], "96");
    let c = app
        .json("/correlations?perimetre=metropole&variables=taux_chomage,part_extreme_droite")
        .await;
    let r = c["matrice"][0][1].as_f64().unwrap();
    assert_eq!(cells[6], format!("{r:.2}").replace('.', ","));
    assert!(text.contains("départements d'outre-mer"), "{text}");
    assert_eq!(check_images(&app, &html, "/visualisations").await, 10);
    for name in [
        "election",
        "tour",
        "trimestre",
        "region",
        "perimetre",
        "x",
        "y",
        "carte",
        "classes",
    ] {
        assert_eq!(attr(&html, &format!("select[name={name}]"), "id"), [name]);
    }
    // Defaults are selected.
    assert_eq!(
        select(&html, "select[name=tour] option[selected]"),
        ["1er tour"]
    );
    assert_eq!(
        select(&html, "select[name=election] option[selected]"),
        ["Présidentielle 2022"]
    );
    assert_eq!(
        select(&html, "select[name=trimestre] option[selected]"),
        ["2022-T3"]
    );

    let path = "/visualisations?tour=2&trimestre=2021-T4&region=32&x=taux_abstention&y=part_centre";
    let (html, text) = page(&app, path, 200).await;
    assert_eq!(check_images(&app, &html, path).await, 10);
    let sources = attr(&html, "img", "src");
    assert!(sources.iter().all(|s| s.contains("tour=2")
        && s.contains("trimestre=2021-T4")
        && s.contains("region=32")));
    assert!(sources.iter().any(|s| s.starts_with("/charts/nuage.svg?")
        && s.contains("x=taux_abstention")
        && s.contains("y=part_centre")));
    assert_eq!(
        select(&html, "select[name=region] option[selected]"),
        ["Hauts-de-France"]
    );
    // Hauts-de-France has five départements.
    assert!(text.contains("n = 5."), "{text}");
    // The r printed is the one of /correlations.
    let c = app.json("/correlations?tour=2&trimestre=2021-T4&region=32&variables=taux_abstention,part_centre").await;
    let r = c["matrice"][0][1].as_f64().unwrap();
    assert!(
        text.contains(&format!(
            "r de Pearson = {}",
            format!("{r:.2}").replace('.', ",")
        )),
        "{r}"
    );

    // 2017 and a socio-economic variable: every chart follows, r is the API's.
    let path = "/visualisations?annee=2017&x=revenu_median&y=part_extreme_droite";
    let (html, text) = page(&app, path, 200).await;
    assert_eq!(check_images(&app, &html, path).await, 10);
    assert!(
        attr(&html, "img", "src")
            .iter()
            .all(|s| s.contains("annee=2017"))
    );
    assert!(text.contains("1er tour 2017"), "{text}");
    assert_eq!(
        select(&html, "select[name=trimestre] option[selected]"),
        ["2017-T3"]
    );
    let c = app
        .json("/correlations?annee=2017&variables=revenu_median,part_extreme_droite")
        .await;
    let r = c["matrice"][0][1].as_f64().unwrap();
    assert!(r < 0.0);
    // Negative numbers are printed with a true minus sign.
    assert!(text.contains(&format!(
        "r de Pearson = {}",
        format!("{r:.2}").replace('.', ",").replace('-', "\u{2212}")
    )));
}

#[tokio::test]
async fn small_regions_say_which_charts_cannot_be_drawn() {
    let app = spawn_app().await;
    // Corse: two départements, too few for correlations; Mayotte: no unemployment rate.
    // The LISA map and the Moran plot need four départements with neighbours: not there.
    for (region, images, absent) in [("94", 7, 3), ("06", 4, 6)] {
        let path = format!("/visualisations?region={region}");
        let (html, _) = page(&app, &path, 200).await;
        assert_eq!(check_images(&app, &html, &path).await, images, "{path}");
        let notes = select(&html, "p.indisponible");
        assert_eq!(notes.len(), absent, "{path}: {notes:?}");
        assert!(notes.iter().all(|n| n.contains("Graphique indisponible")));
    }
}

#[tokio::test]
async fn exploration_shows_a_departement() {
    let app = spawn_app().await;
    let (html, _) = page(&app, "/exploration", 200).await;
    check_structure(&html, "/exploration");
    assert_eq!(select(&html, "img").len(), 0);
    assert_eq!(select(&html, "select[name=departement] option").len(), 108);

    let (html, text) = page(&app, "/exploration?departement=59", 200).await;
    check_structure(&html, "/exploration?departement=59");
    assert_eq!(
        check_images(&app, &html, "/exploration?departement=59").await,
        5
    );
    // The Nord outlined on the map of its region.
    assert!(
        attr(&html, "img", "src")
            .iter()
            .any(|s| s == "/charts/carte/famille-gagnante.svg?region=32&tour=1&surligne=59")
    );
    // The INSEE profile, with year and source, and the 2017 -> 2022 table.
    let profil = table_rows(&html, "socio-économiques", "tbody td");
    assert_eq!(profil.len(), 8 * 3);
    assert!(
        profil.contains(&"20\u{202f}290 EUR".to_owned()),
        "{profil:?}"
    );
    assert!(profil.contains(&"454 hab/km²".to_owned()), "{profil:?}");
    assert!(profil.contains(&"INSEE, Filosofi 2019".to_owned()));
    let evolution = table_rows(&html, "2017 et 2022", "tbody th");
    assert_eq!(
        evolution,
        [
            "Gauche",
            "Centre",
            "Droite",
            "Extrême droite",
            "Participation (des inscrits)"
        ]
    );
    assert_eq!(select(&html, "h1"), ["Exploration : Nord (59)"]);
    assert_eq!(
        select(&html, "select[name=departement] option[selected]"),
        ["59 — Nord"]
    );
    let detail = app.json("/departements/59").await;
    let t1 = &detail["tours"][0];
    assert!(text.contains(&format!(
        "{} {}",
        t1["gagnant"]["prenom"].as_str().unwrap(),
        t1["gagnant"]["nom"].as_str().unwrap()
    )));
    // Candidates sorted by votes by default: the first row is the winner.
    let rows = table_rows(&html, "candidats", "tbody th");
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0], "Marine LE PEN");
    // National comparison: the round-1 participation of France.
    let national = app.json("/indicateurs/national?tour=1").await;
    let p = national["taux_participation"].as_f64().unwrap();
    assert!(text.contains(&format!("{} %", format!("{p:.1}").replace('.', ","))));

    // Sorting by name is a link; the order follows.
    let by_name = attr(&html, "a", "href")
        .into_iter()
        .find(|h| h.contains("tri=nom"))
        .unwrap();
    let (html, _) = page(&app, &by_name, 200).await;
    let rows = table_rows(&html, "candidats", "tbody th");
    let mut sorted = rows.clone();
    sorted.sort_by_key(|n| n.split_once(' ').map(|(_, nom)| nom.to_owned()).unwrap());
    assert_eq!(rows, sorted);

    // Round 2, by an election-file code; overseas has no unemployment series: no broken image.
    let (html, text) = page(&app, "/exploration?departement=ZX&tour=2", 200).await;
    assert_eq!(check_images(&app, &html, "ZX").await, 3);
    assert!(text.contains("ne publie pas de série"));
    assert!(text.contains("que pour les 101 départements"));
    // Mayotte: Filosofi's experimental values are "non publié", not numbers.
    let (html, _) = page(&app, "/exploration?departement=976", 200).await;
    let profil = table_rows(&html, "socio-économiques", "tbody td");
    assert_eq!(profil.iter().filter(|c| *c == "non publié").count(), 5);
}

#[tokio::test]
async fn machine_learning_compares_and_predicts() {
    let app = spawn_app().await;
    let (html, _) = page(&app, "/apprentissage", 200).await;
    check_structure(&html, "/apprentissage");
    // The constituency forecast's right/wrong map, then the four charts of the chosen model.
    assert_eq!(check_images(&app, &html, "/apprentissage").await, 5);
    let models = app.json("/models").await;
    let rows = table_rows(&html, "Comparaison", "tbody tr");
    assert_eq!(rows.len(), models.as_array().unwrap().len());
    assert!(rows[0].contains("Classe majoritaire"), "baseline first");
    // Each row names its feature set: the three sets, seven models each.
    let sets = table_rows(&html, "Comparaison", "tbody td:nth-of-type(1)");
    for label in [
        "Chômage et participation 2022",
        "+ indicateurs socio-économiques INSEE",
        "+ parts des familles au 1er tour 2017",
        "+ moyennes des voisins (2017, chômage)",
    ] {
        assert_eq!(
            sets.iter().filter(|s| *s == label).count(),
            7,
            "{label}: {sets:?}"
        );
    }
    // The default (best) model's row comes right after the baselines.
    assert!(rows[4].contains("(par défaut)"), "{}", rows[4]);
    assert!(select(&html, "section.resultat").is_empty());

    let path = "/apprentissage?modele=knn&departement=59&taux_chomage=12,5";
    let (html, text) = page(&app, path, 200).await;
    check_structure(&html, path);
    let sources = attr(&html, "img", "src");
    assert!(sources.iter().any(|s| s == "/charts/models/knn/roc.svg"));
    // The page's answer is the API's answer to the same request.
    let api: serde_json::Value = app
        .client
        .post(format!("{}/predict", app.address))
        .json(&serde_json::json!({"departement": "59", "modele": "knn", "overrides": {"taux_chomage": 12.5}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let predicted = api["famille_predite"].as_str().unwrap();
    let label = app
        .json("/familles")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == predicted)
        .unwrap()["libelle"]
        .as_str()
        .unwrap()
        .to_owned();
    let result = select(&html, "section.resultat p strong");
    assert_eq!(result[0], label);
    assert!(text.contains("saisie (et si…)"));
    assert!(text.contains("12,50"));
    assert_eq!(attr(&html, "input[name=taux_chomage]", "value"), ["12,5"]);
    // The what-if form takes only the chosen model's features, with their French labels.
    assert_eq!(select(&html, "fieldset input").len(), 6);
    assert!(select(&html, "fieldset label").contains(&"Chômage moyen sur 10 ans (%)".to_owned()));
    assert!(
        attr(&html, "fieldset input", "name")
            .iter()
            .all(|n| !n.ends_with("_2017"))
    );
}

/// The predictions table: out-of-fold first, right and wrong marked, every row linked to
/// its département, sortable by links; the out-of-fold accuracy beside the in-sample one.
#[tokio::test]
async fn machine_learning_lists_every_prediction() {
    let app = spawn_app().await;
    let api = app.json("/predictions").await;
    let lignes = api["lignes"].as_array().unwrap();
    let (html, text) = page(&app, "/apprentissage", 200).await;
    let rows = select(&html, "#tableau-predictions tbody tr");
    assert_eq!(rows.len(), lignes.len());
    let links = attr(&html, "#tableau-predictions tbody tr th a", "href");
    let codes: Vec<String> = select(&html, "#tableau-predictions tbody tr td:first-child");
    assert_eq!(links.len(), rows.len());
    for (link, code) in links.iter().zip(&codes) {
        assert_eq!(*link, format!("/exploration?departement={code}"));
    }
    for link in links.iter().take(3) {
        page(&app, link, 200).await;
    }
    let headings = select(&html, "#tableau-predictions thead th");
    assert!(headings[3].contains("hors pli"), "{headings:?}");
    let wrong = lignes
        .iter()
        .filter(|l| l["juste_hors_pli"] == false)
        .count();
    assert_eq!(
        select(&html, "#tableau-predictions td span.faux").len(),
        wrong + lignes.iter().filter(|l| l["juste"] == false).count()
    );
    // The accuracy quoted is the mean over the 50 folds with its spread (the model's card);
    // the first repetition's out-of-fold figure and the in-sample one follow.
    let modele = app
        .json(&format!("/models/{}", api["modele"].as_str().unwrap()))
        .await;
    let moyenne = format!(
        "{} ± {}",
        ::charts::fr(modele["accuracy_moyenne"].as_f64().unwrap(), 3),
        ::charts::fr(modele["accuracy_ecart_type"].as_f64().unwrap(), 3)
    );
    let oof = ::charts::fr(api["accuracy_hors_pli"].as_f64().unwrap(), 3);
    let in_sample = ::charts::fr(api["accuracy_apprentissage"].as_f64().unwrap(), 3);
    assert!(
        text.contains("moyenne ± écart-type sur les 50 plis"),
        "{text}"
    );
    assert!(text.contains(&format!("dont viennent les prédictions hors pli ci-dessous (chaque département prédit par un modèle qui ne l'a pas vu) : {oof}")), "{text}");
    let strong = select(&html, "h2#predictions + p strong");
    assert_eq!(strong, [moyenne, in_sample]);
    // The unscored départements are listed with their reason.
    let absent = select(&html, "ul.non-predits li");
    assert_eq!(absent.len(), api["non_predits"].as_array().unwrap().len());
    assert!(
        absent.iter().any(|a| a.contains("Guadeloupe (971)")),
        "{absent:?}"
    );
    // Sorting by link: wrong ones first, then by name.
    let sort = attr(&html, "#tableau-predictions caption a", "href");
    let errors = sort
        .iter()
        .find(|h| h.contains("tri=erreurs"))
        .unwrap()
        .clone();
    let (sorted, _) = page(&app, &errors, 200).await;
    let first = select(&sorted, "#tableau-predictions tbody tr td:nth-of-type(3)");
    assert!(
        first.iter().take(wrong).all(|c| c.contains("✗ faux")),
        "{first:?}"
    );
    let (by_name, _) = page(&app, "/apprentissage?tri=nom", 200).await;
    let names = select(&by_name, "#tableau-predictions tbody tr th");
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(names, expected);
    // French errors on the form.
    for (path, status, needle) in [
        ("/apprentissage?tri=age", 400, "Tri inconnu « age »"),
        (
            "/apprentissage?modele=knn&departement=59&revenu_median=20000",
            400,
            "n'est pas une variable de ce modèle",
        ),
        (
            "/apprentissage?departement=971",
            400,
            "n'a pas de valeur pour « Chômage moyen sur 10 ans (%) »",
        ),
        (
            "/apprentissage?departement=59&taux_chomage=250",
            400,
            "hors de l'intervalle plausible",
        ),
        (
            "/apprentissage?departement=59&taux_chomage=beaucoup",
            400,
            "n'est pas un nombre",
        ),
    ] {
        let (_, text) = page(&app, path, status).await;
        assert!(text.contains(needle), "{path}: {needle}");
    }
}

#[tokio::test]
async fn bad_form_values_give_400_and_404_pages() {
    let app = spawn_app().await;
    for (path, status, needle) in [
        ("/exploration?departement=999", 404, "999"),
        ("/exploration?tour=1&tour=2", 400, "malformed query string"),
        (
            "/visualisations?tour=1&tour=2",
            400,
            "malformed query string",
        ),
        ("/exploration?departement=59&tour=3", 400, "tour"),
        ("/exploration?departement=59&tri=age", 400, "tri"),
        ("/visualisations?tour=0", 400, "tour"),
        ("/visualisations?trimestre=1970-T1", 400, "1970-T1"),
        ("/visualisations?region=99", 400, "99"),
        ("/visualisations?x=revenu", 400, "revenu"),
        ("/apprentissage?modele=svm", 404, "svm"),
        (
            "/apprentissage?departement=59&taux_chomage=beaucoup",
            400,
            "beaucoup",
        ),
        ("/apprentissage?departement=59&taux_chomage=250", 400, "250"),
        (
            "/apprentissage?taux_chomage=12",
            400,
            "choisissez un département",
        ),
        ("/apprentissage?age=3", 400, "age"),
        (
            "/apprentissage?departement=<b>x</b>",
            404,
            "&lt;b&gt;x&lt;/b&gt;",
        ),
    ] {
        let (html, text) = page(&app, path, status).await;
        let alert = select(&html, "[role=alert]");
        assert_eq!(alert.len(), 1, "{path}");
        assert!(alert[0].contains(&status.to_string()), "{path}");
        assert!(text.contains(needle), "{path}: {needle}");
        // The form comes back to be corrected.
        assert_eq!(select(&html, "form").len(), 1, "{path}");
        assert!(!text.contains("<b>x</b>"), "{path}: unescaped input");
    }
}

#[tokio::test]
async fn pages_are_cached_answer_head_and_refuse_other_methods() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(format!("{}/", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let head = app
        .client
        .head(format!("{}/exploration?departement=59", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    let post = app
        .client
        .post(format!("{}/visualisations", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD");
    let css = app.get("/static/style.css").await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

/// The Géographie section: Moran's I of the map's variable in words, as /spatial/moran has it,
/// with the LISA map and the Moran plot.
#[tokio::test]
async fn visualisations_show_the_spatial_autocorrelation() {
    let app = spawn_app().await;
    let path = "/visualisations?carte=taux_abstention&perimetre=metropole";
    let (html, text) = page(&app, path, 200).await;
    assert_eq!(check_images(&app, &html, path).await, 10);
    let m = app
        .json("/spatial/moran?variable=taux_abstention&perimetre=metropole")
        .await;
    let i = format!("{:.2}", m["i"].as_f64().unwrap()).replace('.', ",");
    assert!(text.contains(&format!("I de Moran = {i}")), "I = {i}");
    assert!(text.contains(
        "très significatif (aucune des 999 permutations n'atteint cette valeur), p = 0,001"
    ));
    assert!(text.contains("Les départements voisins se ressemblent"));
    let sources = attr(&html, "img", "src");
    assert!(
        sources
            .iter()
            .any(|s| s.starts_with("/charts/carte/lisa/taux_abstention.svg?")
                && s.contains("perimetre=metropole"))
    );
    assert!(
        sources
            .iter()
            .any(|s| s.starts_with("/charts/moran/taux_abstention.svg?"))
    );
    // France: the overseas départements are said to be left out.
    let (_, text) = page(&app, "/visualisations?carte=taux_abstention", 200).await;
    assert!(
        text.contains("Hors calcul : Guadeloupe (sans voisin)"),
        "{text}"
    );
}

/// The constituency page: the seat map without a search, the list of matches, one
/// constituency's rounds, a 400 for an unknown election; structure checked like every page.
#[tokio::test]
async fn circonscriptions_are_found_from_the_search_form() {
    let app = spawn_app().await;
    let (html, _) = page(&app, "/exploration/circonscriptions", 200).await;
    check_structure(&html, "/exploration/circonscriptions");
    assert!(
        attr(&html, "img", "src").iter().any(
            |s| s.starts_with("/charts/circonscriptions/sieges.svg?election=legislatives-2024")
        )
    );
    let (html, _) = page(&app, "/exploration/circonscriptions?q=paris", 200).await;
    assert_eq!(select(&html, "ul.resultats li").len(), 18);
    let (html, text) = page(&app, "/exploration/circonscriptions?q=6211", 200).await;
    check_structure(&html, "?q=6211");
    assert!(text.contains("Marine LE PEN"));
    // Eight rounds: three presidential, five legislative (she was elected in round 1 in 2024).
    assert_eq!(select(&html, "main table").len(), 8);
    let (_, text) = page(&app, "/exploration/circonscriptions?q=ZZ03", 200).await;
    assert!(text.contains("sans territoire"));
    let (_, text) = page(&app, "/exploration/circonscriptions?q=xyzzy", 200).await;
    assert!(text.contains("Aucune circonscription"));
    page(
        &app,
        "/exploration/circonscriptions?election=europeennes-1979",
        400,
    )
    .await;
    // The home page of a legislative election shows its seat map.
    let (html, _) = page(&app, "/?election=legislatives-2022", 200).await;
    assert!(
        attr(&html, "img", "src")
            .iter()
            .any(|s| s == "/charts/circonscriptions/sieges.svg?election=legislatives-2022")
    );
}
