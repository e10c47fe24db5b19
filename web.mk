# The website chat widget (web/). Included by the Makefile, which defines $(LAUNCH), $(STEP),
# $(MODEL) and the build and var targets. The page's port (WEB_PORT) and the Rasa URL the
# browser sees (RASA_PUBLIC_URL) come from bot/settings.py and the environment.

# npm ci writes this file last; it is older than package-lock.json when the lock changed.
WEB_INSTALLED := web/node_modules/.package-lock.json

.PHONY: web web-build

web-build: $(WEB_INSTALLED) ## install socket.io-client into web/node_modules (npm ci)

$(WEB_INSTALLED): web/package-lock.json web/package.json
	@$(STEP) "Installing the widget's socket.io client (npm ci)" \
		npm --prefix web ci --no-audit --no-fund
	@touch $@

web: build $(MODEL) web-build | var ## make serve + the demo clinic page with the chat widget
	@$(LAUNCH) serve --web --model $(MODEL)
