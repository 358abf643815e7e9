# Trafficinator build, test and benchmark entry points.
GO          ?= go
BIN         := bin/trafficinator
GOBIN       := $(shell $(GO) env GOPATH)/bin
STATICCHECK := $(GOBIN)/staticcheck
STATICCHECK_VERSION := v0.8.2
# The version is the git tag (git describe); without git, the binary falls
# back to the build information the Go toolchain stamps (version.go).
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null)
COMMIT      ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS     := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

.PHONY: build test lint vet staticcheck fmt-check bench run clean ui-screenshot

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/trafficinator

# test: static checks, then every package with the race detector. Fuzz tests
# run their seed corpora as ordinary tests here. The GeoIP agreement tests
# fetch the pinned GeoLite2 country tarball with npm (once, into
# $TRAFFICINATOR_NPM_CACHE or ~/.cache/trafficinator/npm); without npm they
# skip locally and fail when CI=true. The runner's package runs its
# end-to-end and 20,000-visit acceptance tests for about 10 minutes with the
# race detector on 2 cores: past go test's default timeout.
test: lint
	@command -v npm >/dev/null 2>&1 || echo "note: npm not found; the GeoIP agreement tests need it (apt-get install npm)"
	$(GO) test -race -count=1 -timeout 30m ./...

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

$(STATICCHECK):
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

# bench: every benchmark, 5 runs each; .ci/bench-ratios prints medians and
# the ratios that the acceptance criteria name.
bench:
	@mkdir -p .bench
	$(GO) test -run '^$$' -bench . -benchmem -count 5 -timeout 60m ./... | tee .bench/latest.txt
	@bash .ci/bench-ratios .bench/latest.txt

# ui-screenshot: docs/ui-live.png, the live page of a run on the built-in
# sinks, and docs/ui-control.png, the control page after a run started
# from it, as headless Chromium shows them (browser tests write them; needs
# /usr/bin/chromium, apt-get install chromium: CI=true makes its absence fail).
ui-screenshot:
	CI=true TRAFFICINATOR_UI_SCREENSHOT=$(CURDIR)/docs/ui-live.png $(GO) test -count=1 -run '^TestBrowserScreenshot$$' ./runner/internal/ui/livepage/
	CI=true TRAFFICINATOR_UI_CONTROL_SCREENSHOT=$(CURDIR)/docs/ui-control.png $(GO) test -count=1 -run '^TestBrowserStartWatchStopAndFindTheReport$$' ./runner/internal/ui/control/

# run: the main job on the built-in sink, verified against the sink's own
# Reporting API (docs/verify.md).
run: build
	./$(BIN) validate examples/
	./$(BIN) apply examples/quickstart.yaml --verify

# release: static binaries for every platform of RELEASE_PLATFORMS into
# DIST, named trafficinator_<version>_<os>_<arch>[.exe], and DIST/SHA256SUMS
# (sha256sum -c reads it). The version is the git tag (git describe); the
# binaries embed no cgo and no build paths. `make -n release` lists the
# builds without running them (cmd/trafficinator/release_test.go).
DIST              ?= dist
COMMIT            ?= $(shell git rev-parse HEAD 2>/dev/null)
RELEASE_PLATFORMS := linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64
RELEASE_LDFLAGS   := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
SHA256            ?= $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)
RELEASE_BINS      := $(foreach p,$(RELEASE_PLATFORMS),$(DIST)/trafficinator_$(VERSION)_$(p)$(if $(filter windows_%,$(p)),.exe))

.PHONY: release release-bins docker FORCE

release: $(DIST)/SHA256SUMS

$(DIST)/SHA256SUMS: $(RELEASE_BINS)
	cd $(DIST) && $(SHA256) $(notdir $(RELEASE_BINS)) > SHA256SUMS

$(DIST)/trafficinator_$(VERSION)_%: FORCE
	@test -n "$(VERSION)" || { echo "make release needs a version: a git checkout, or VERSION=v1.2.3" >&2; exit 2; }
	@mkdir -p $(DIST)
	CGO_ENABLED=0 GOOS=$(word 1,$(subst _, ,$(basename $*))) GOARCH=$(word 2,$(subst _, ,$(basename $*))) \
		$(GO) build -trimpath -ldflags "$(RELEASE_LDFLAGS)" -o $@ ./cmd/trafficinator

# docker: the container of the linux binary that `make release` built for
# this machine's architecture (Dockerfile; it downloads nothing).
DOCKER_ARCH ?= $(shell $(GO) env GOARCH)
IMAGE       ?= trafficinator:$(VERSION)
docker:
	docker build --build-arg VERSION=$(VERSION) --build-arg TARGETARCH=$(DOCKER_ARCH) -t $(IMAGE) .

clean:
	rm -rf bin .bench $(DIST)
