//! A small W3C WebDriver client: just what the end-to-end tests use.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The key W3C WebDriver uses for element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session driving the app's window. Dropping it ends the session (which closes
/// the app); drop it before stopping the driver.
pub struct Session {
    http: reqwest::blocking::Client,
    base: String,
    id: Option<String>,
}

impl Session {
    /// Starts the app at `application` through the driver at `driver_url`.
    pub fn start(driver_url: String, application: &Path) -> Self {
        // reqwest is built without a crypto provider of its own (rustls on ring, issue 10).
        plex_sim::install_crypto_provider();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .expect("an HTTP client for WebDriver");
        let mut session = Self {
            http,
            base: driver_url,
            id: None,
        };
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "tauri:options": { "application": application }
                }
            }
        });
        // tauri-driver listens before the WebKitWebDriver it starts does: on a cold start the
        // first request can find nobody behind it, so the session is asked for again.
        let deadline = Instant::now() + Duration::from_secs(30);
        let answer = loop {
            match session.try_call(
                reqwest::Method::POST,
                "/session",
                Some(capabilities.clone()),
            ) {
                Ok(answer) => break answer,
                Err(err) if Instant::now() < deadline => {
                    eprintln!("no WebDriver session yet ({err}); asking again");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(err) => panic!("WebDriver /session: {err}"),
            }
        };
        let id = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {answer}"))
            .to_string();
        session.id = Some(id);
        session
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.id.as_deref().unwrap_or("none"))
    }

    /// Sends one command and returns its `value`, failing the test on a WebDriver error.
    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|err| panic!("WebDriver {path}: {err}"))
    }

    fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().map_err(|e| e.to_string())?;
        let status = response.status();
        let body: Value = response.json().map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body["value"].clone())
        } else {
            Err(format!("{status}: {}", body["value"]))
        }
    }

    /// The element matching `css`, if there is one now.
    fn find(&self, css: &str) -> Option<String> {
        let value = self
            .try_call(
                reqwest::Method::POST,
                &self.session_path("/element"),
                Some(json!({"using": "css selector", "value": css})),
            )
            .ok()?;
        value[ELEMENT_KEY].as_str().map(str::to_string)
    }

    fn text_of(&self, element: &str) -> Option<String> {
        self.try_call(
            reqwest::Method::GET,
            &self.session_path(&format!("/element/{element}/text")),
            None,
        )
        .ok()?
        .as_str()
        .map(str::to_string)
    }

    /// Polls until the element matching `css` exists and its text satisfies `done`, and
    /// returns that text. Fails the test with the last text seen after `timeout`.
    pub fn wait_for_text(
        &self,
        css: &str,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        let mut last = None;
        loop {
            if let Some(text) = self.find(css).and_then(|el| self.text_of(&el)) {
                if done(&text) {
                    return text;
                }
                last = Some(text);
            }
            if Instant::now() >= deadline {
                self.dump_for_diagnosis(css);
                panic!("timed out after {timeout:?} waiting for `{css}`; last text seen: {last:?}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Saves what the window shows and prints its HTML, so a failure can be understood.
    fn dump_for_diagnosis(&self, waited_for: &str) {
        let name = format!(
            "failure-{}.png",
            waited_for.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
        if let Ok(value) = self.try_call(
            reqwest::Method::GET,
            &self.session_path("/screenshot"),
            None,
        ) {
            if let Ok(png) =
                base64::engine::general_purpose::STANDARD.decode(value.as_str().unwrap_or_default())
            {
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(dir.join(&name), png);
                eprintln!("screenshot of the failure: {}", dir.join(&name).display());
            }
        }
        match self.try_call(reqwest::Method::GET, &self.session_path("/source"), None) {
            Ok(source) => eprintln!("page source:\n{}", source.as_str().unwrap_or_default()),
            Err(err) => eprintln!("page source unavailable: {err}"),
        }
    }

    /// Waits until an element matching `css` exists and returns its reference.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> String {
        self.wait_for_every(css, timeout, Duration::from_millis(200))
    }

    /// [`Session::wait_for`], looking every `every` (the measurements look often, so the
    /// time they report is not rounded up to the next look).
    pub fn wait_for_every(&self, css: &str, timeout: Duration, every: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self.find(css) {
                return element;
            }
            if Instant::now() >= deadline {
                self.dump_for_diagnosis(css);
                panic!("timed out after {timeout:?} waiting for `{css}`");
            }
            std::thread::sleep(every);
        }
    }

    /// Whether an element matching `css` exists now.
    pub fn exists(&self, css: &str) -> bool {
        self.find(css).is_some()
    }

    /// How many elements match `css` now.
    pub fn count(&self, css: &str) -> usize {
        self.try_call(
            reqwest::Method::POST,
            &self.session_path("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        )
        .ok()
        .and_then(|v| v.as_array().map(Vec::len))
        .unwrap_or(0)
    }

    /// Clicks the element matching `css` (waiting for it first). An element the page
    /// re-rendered between finding and clicking ("stale element reference") is found again.
    pub fn click(&self, css: &str, timeout: Duration) {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let element = self.wait_for(css, timeout);
            match self.try_call(
                reqwest::Method::POST,
                &self.session_path(&format!("/element/{element}/click")),
                Some(json!({})),
            ) {
                Ok(_) => return,
                Err(err)
                    if err.contains("stale element") && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(err) => panic!("WebDriver click on {css}: {err}"),
            }
        }
    }

    /// Replaces the text of the input matching `css`.
    pub fn type_into(&self, css: &str, text: &str, timeout: Duration) {
        let element = self.wait_for(css, timeout);
        let _ = self.try_call(
            reqwest::Method::POST,
            &self.session_path(&format!("/element/{element}/clear")),
            Some(json!({})),
        );
        self.call(
            reqwest::Method::POST,
            &self.session_path(&format!("/element/{element}/value")),
            Some(json!({"text": text})),
        );
    }

    /// Sends `keys` (WebDriver key codes allowed, like `\u{E00C}` for Escape) to the element
    /// matching `css`, without clearing it first.
    pub fn press(&self, css: &str, keys: &str, timeout: Duration) {
        let element = self.wait_for(css, timeout);
        self.call(
            reqwest::Method::POST,
            &self.session_path(&format!("/element/{element}/value")),
            Some(json!({"text": keys})),
        );
    }

    /// An attribute of the element matching `css`.
    pub fn attribute(&self, css: &str, name: &str, timeout: Duration) -> Option<String> {
        let element = self.wait_for(css, timeout);
        self.call(
            reqwest::Method::GET,
            &self.session_path(&format!("/element/{element}/attribute/{name}")),
            None,
        )
        .as_str()
        .map(str::to_string)
    }

    /// The attribute `name` of the element matching `css` now, if both exist (never fails the
    /// test: for polling while the page changes).
    pub fn try_attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.find(css)?;
        self.try_call(
            reqwest::Method::GET,
            &self.session_path(&format!("/element/{element}/attribute/{name}")),
            None,
        )
        .ok()?
        .as_str()
        .map(str::to_string)
    }

    /// The text of the element matching `css`, once it is not empty.
    pub fn text(&self, css: &str, timeout: Duration) -> String {
        self.wait_for_text(css, timeout, |t| !t.trim().is_empty())
    }

    /// The document's title.
    pub fn title(&self) -> String {
        self.call(reqwest::Method::GET, &self.session_path("/title"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Saves a PNG screenshot of the window at `path`, once the window shows something: it
    /// polls until the picture has more than one colour (WebKit may hand back the page before
    /// its first paint) and fails the test if it is still a single colour after `timeout`.
    pub fn save_screenshot(&self, path: &Path, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let png = loop {
            let value = self.call(
                reqwest::Method::GET,
                &self.session_path("/screenshot"),
                None,
            );
            let png = base64::engine::general_purpose::STANDARD
                .decode(value.as_str().unwrap_or_default())
                .expect("the screenshot is base64");
            let colours = distinct_colours(&png, 2)
                .unwrap_or_else(|err| panic!("the screenshot is not a PNG image: {err}"));
            if colours > 1 {
                break png;
            }
            if Instant::now() >= deadline {
                panic!(
                    "the screenshot for {} is a single colour after {timeout:?}: the window shows nothing",
                    path.display()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create target/e2e");
        }
        std::fs::write(path, png).expect("write the screenshot");
        println!("screenshot saved to {}", path.display());
    }

    /// Polls `probe` until it returns `Some`, and returns that. Fails the test, naming `what`,
    /// after `timeout`.
    pub fn wait_until<T>(
        &self,
        what: &str,
        timeout: Duration,
        probe: impl Fn(&Self) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = probe(self) {
                return found;
            }
            if Instant::now() >= deadline {
                self.dump_for_diagnosis(what);
                panic!("timed out after {timeout:?} waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Runs `script` in the page (a function body; `arguments` holds `args`) and returns what
    /// it returns.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            &self.session_path("/execute/sync"),
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs `script` in the page asynchronously: it gets a callback as its last argument and
    /// calls it with the answer.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            &self.session_path("/execute/async"),
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Resizes the window (CSS pixels).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            &self.session_path("/window/rect"),
            Some(json!({"width": width, "height": height})),
        );
    }

    /// The texts of every element matching `css` now, in document order.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.try_call(
            reqwest::Method::POST,
            &self.session_path("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        )
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|el| el[ELEMENT_KEY].as_str())
        .filter_map(|el| self.text_of(el))
        .collect()
    }

    fn delete(&mut self) {
        if let Some(id) = self.id.take() {
            let _ = self
                .http
                .delete(format!("{}/session/{id}", self.base))
                .send();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.delete();
    }
}

/// How many distinct colours the PNG image `png` has, counting up to `enough` (it stops
/// there). An error when `png` is not a PNG image.
pub fn distinct_colours(png: &[u8], enough: usize) -> Result<usize, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut pixels = vec![
        0;
        reader
            .output_buffer_size()
            .ok_or("the image is too large")?
    ];
    let frame = reader.next_frame(&mut pixels).map_err(|e| e.to_string())?;
    let samples = frame.color_type.samples();
    let mut seen: Vec<&[u8]> = Vec::new();
    for pixel in pixels[..frame.buffer_size()].chunks_exact(samples) {
        if !seen.contains(&pixel) {
            seen.push(pixel);
            if seen.len() >= enough {
                break;
            }
        }
    }
    Ok(seen.len())
}
