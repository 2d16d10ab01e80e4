//! People in and out as CSV in a real browser: the list's "Download CSV" link saves the file
//! the search and sort show, and a file chosen in the import form is previewed, then
//! imported by Confirm.

use crate::browser_tests;
use crate::support::{Browser, downloaded};

browser_tests!(an_export_downloads_and_a_file_imports_through_the_form);

async fn an_export_downloads_and_a_file_imports_through_the_form(browser: &Browser) {
    browser
        .seed(&["Ada Lovelace", "Grace Hopper", "=1+2 Ada", "Alan Turing"])
        .await;
    let downloads = browser.dir().join("downloads");
    std::fs::create_dir_all(&downloads).expect("a downloads folder");
    browser.allow_downloads(&downloads).await;

    browser.goto("/people?q=ada&sort=newest&per_page=1").await;
    browser.wait_for_heading("People matching “ada”").await;
    browser.click(".list-export a[href^='/people.csv']").await;
    let file = downloaded(&downloads, "people.csv").await;
    let csv = std::fs::read_to_string(&file).expect("the downloaded file");
    assert_eq!(csv, "id,name\r\n3,'=1+2 Ada\r\n1,Ada Lovelace\r\n");

    let upload = browser.dir().join("new-people.csv");
    std::fs::write(
        &upload,
        "name\nBarbara Liskov\n\nada lovelace\nDonald Knuth\n",
    )
    .expect("a file to import");
    browser.preview_import(&upload).await;
    let preview = browser.body_text().await;
    assert!(
        preview.contains("2 people would be added; 1 row would be refused."),
        "{preview}"
    );
    assert!(
        preview.contains("ada lovelace is already taken."),
        "{preview}"
    );
    browser.assert_accessible("the import preview").await;

    browser.click(".import-confirm button[type=submit]").await;
    browser.wait_for_heading("People").await;
    assert_eq!(browser.text(".flash").await, "Imported 2 people");
    assert_eq!(
        browser.names().await,
        [
            "=1+2 Ada",
            "Ada Lovelace",
            "Alan Turing",
            "Barbara Liskov",
            "Donald Knuth",
            "Grace Hopper"
        ]
    );
}
