# shellcheck shell=bash
# Sourced by ./platform: the storefront's browser tests (browser-tests/, Selenium WebDriver driving headless
# Chromium) against the platform the smoke started. Debian's chromium and chromium-driver are installed when missing
# in CI (CI=true) or with PLATFORM_INSTALL_TOOLS=1; a developer's machine is never changed unasked (the tests are then
# skipped with a note). PLATFORM_SKIP_BROWSER=1 skips them. Defines only browser_* functions.

browser_installed() { have chromium && have chromedriver; }

browser_ensure_installed() {
  browser_installed && return 0
  if [ "${CI:-}" != true ] && [ "${PLATFORM_INSTALL_TOOLS:-0}" != 1 ]; then
    say "    Chromium/ChromeDriver not installed: browser tests skipped (CI=true or PLATFORM_INSTALL_TOOLS=1 installs Debian's chromium and chromium-driver)"
    return 1
  fi
  have apt-get || { warn "cannot install Chromium: no apt-get"; return 1; }
  say "    installing Debian's chromium and chromium-driver"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver \
      >"$LOG_DIR/chromium-install.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$LOG_DIR/chromium-install.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver \
      >>"$LOG_DIR/chromium-install.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/chromium-install.log" >&2; warn "apt-get install chromium chromium-driver failed"; return 1; }
  fi
  browser_installed
}

# The smoke's step: the shopper's and the admin's stories in a real browser (browser-tests/StorefrontBrowserTests),
# through the gateway on localhost:8080, on the smoke's own data set. Screenshots: browser-tests/target/screenshots/.
browser_smoke() {
  [ -f "$ROOT/storefront/pom.xml" ] && [ -f "$ROOT/browser-tests/pom.xml" ] || return 0
  [ "${PLATFORM_SKIP_BROWSER:-0}" != 1 ] || { say "    browser tests skipped (PLATFORM_SKIP_BROWSER=1)"; return 0; }
  step "smoke: the storefront in a real browser (browser-tests, headless Chromium)"
  if ! browser_ensure_installed; then
    # In CI they must run: a missing browser there is a failure, not a skip.
    [ "${CI:-}" != true ] || return 1
    return 0
  fi
  mvnw -B -q -ntp -pl browser-tests -Pbrowser verify \
    -Dbrowser.base-url=http://localhost:8080 \
    "-Dbrowser.issuer=$KEYCLOAK_ISSUER" \
    "-Dbrowser.mail-api=http://127.0.0.1:$MAIL_API_PORT" \
    "-Dbrowser.rabbit-api=http://127.0.0.1:$RABBIT_UI_PORT" \
    "-Dbrowser.rabbit-vhost=$RABBIT_VHOST" || return 1
  say "    passed; screenshots of every page in browser-tests/target/screenshots/"
}
