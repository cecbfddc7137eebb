# xpay-sim container: build with dev dependencies, run with production dependencies only.
#   docker build -t xpay-sim . && docker run -p 12111:12111 xpay-sim

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json openapi.yaml ./
COPY scripts ./scripts
COPY fixtures ./fixtures
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    XPAY_SIM_HOST=0.0.0.0 \
    XPAY_SIM_PORT=12111
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY openapi.yaml README.md ./
COPY fixtures ./fixtures
COPY --from=build /app/dist ./dist
# The image's unprivileged `node` user owns nothing it could rewrite in /app; /data is for --data.
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 12111
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "dist/src/cli.js", "healthcheck"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/cli.js"]
