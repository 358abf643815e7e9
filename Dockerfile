# The Trafficinator container: the static linux binary that `make release`
# put in dist/, alone in a distroless static image (CA certificates and
# timezone data for HTTPS to Matomo and backfill days, no shell), run as a
# non-root user. It builds offline from dist/: nothing is compiled or
# downloaded here but the base image.
#
#   make release
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --build-arg TARGETARCH=amd64 -t trafficinator .
#   docker run --rm trafficinator version
#
# `make docker` runs that build for this machine's architecture;
# `docker buildx build --platform linux/amd64,linux/arm64` sets TARGETARCH
# itself.
FROM gcr.io/distroless/static-debian12:nonroot

ARG VERSION
ARG TARGETARCH=amd64
COPY dist/trafficinator_${VERSION}_linux_${TARGETARCH} /trafficinator

# 65532 is distroless's nonroot user; written as a number so that
# Kubernetes' runAsNonRoot can check it without a passwd lookup.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/trafficinator"]
CMD ["--help"]
