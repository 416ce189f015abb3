# Multi-stage: compile TypeScript with dev dependencies, then ship only the
# compiled code, the Lua scripts, the built web pages and production dependencies,
# running as the unprivileged "node" user. Node.js 22 LTS, pinned (package.json's
# engines still allow 20 and later).

FROM node:22.14.0-alpine3.21 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY core ./core
COPY server ./server
COPY worker ./worker
COPY lua ./lua
COPY web ./web
RUN npm run build

FROM node:22.14.0-alpine3.21 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM node:22.14.0-alpine3.21
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node lua ./lua
COPY --from=build --chown=node:node /app/web/dist ./web/dist
COPY --chown=node:node server/docs ./server/docs
USER node
EXPOSE 3000 9464
# All-in-one by default; compose runs dist/server/main.js and dist/worker/main.js.
CMD ["node", "dist/main.js"]
