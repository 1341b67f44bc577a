# One image for every service of the platform; SERVICE picks what runs (router, subgraphs/users, ...).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json ./
COPY kit/package.json kit/
COPY router/package.json router/
COPY subgraphs/users/package.json subgraphs/users/
COPY subgraphs/cases/package.json subgraphs/cases/
COPY subgraphs/plants/package.json subgraphs/plants/
COPY subgraphs/notifications/package.json subgraphs/notifications/
COPY subgraphs/analytics/package.json subgraphs/analytics/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ARG SERVICE=router
ENV NODE_ENV=production SERVICE=${SERVICE} APOLLO_TELEMETRY_DISABLED=true HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app /app
USER node
CMD ["sh", "-c", "exec node ${SERVICE}/dist/index.js"]
