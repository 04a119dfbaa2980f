# Multi-stage build of {{name}}: compile with the dev dependencies, ship only the runtime ones.
# kratos-ts comes from the npm registry (the version in package.json). For local development of
# kratos-ts itself, put an `npm pack` tarball in vendor/ and depend on it (see vendor/README.md):
# vendor/ is part of the build context, so the same Dockerfile works offline.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY vendor ./vendor
RUN npm ci --no-audit --no-fund
COPY tsconfig.json main.ts ./
COPY src ./src
COPY api ./api
COPY third_party ./third_party
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY configs ./configs
USER node
EXPOSE 8000 9000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_ADDR ?? ':8000').split(':').pop() + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
