# The website chat widget (web/). Included by the Makefile, which defines $(PY), $(RASA),
# $(MODEL), RASA_PORT and the build and var targets.
#
#   make web-build   install socket.io-client into web/node_modules (npm ci), when needed
#   make web         action server + Rasa (socket.io, CORS open) + the demo page on WEB_PORT;
#                    Ctrl-C stops all three

WEB_PORT ?= 8000
# The Rasa server's URL as the browser sees it; put into the page's data-rasa-url.
RASA_PUBLIC_URL ?= http://localhost:$(RASA_PORT)
# npm ci writes this file last; it is older than package-lock.json when the lock changed.
WEB_INSTALLED := web/node_modules/.package-lock.json

.PHONY: web web-build

web-build: $(WEB_INSTALLED)

$(WEB_INSTALLED): web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

# The static server runs in the background of the inner shell, Rasa in its foreground; the
# trap stops the static server however Rasa ends (Ctrl-C included), and
# with-action-server.sh stops the action server.
web: build $(MODEL) web-build credentials | var
	@bot/tools/with-action-server.sh bash -c '\
		$(PY) bot/tools/serve_web.py --port $(WEB_PORT) --rasa-url "$(RASA_PUBLIC_URL)" --quiet & \
		web_pid=$$!; \
		trap "kill $$web_pid 2>/dev/null; wait $$web_pid 2>/dev/null" EXIT INT TERM; \
		echo "Open http://localhost:$(WEB_PORT)  (the chat answers once Rasa says it is up)"; \
		$(RASA) run --model $(MODEL) --port $(RASA_PORT) \
			--credentials $(CREDENTIALS) --endpoints endpoints.yml --cors "*"'
