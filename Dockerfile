# Hookline server image: node:22 builds isolated-vm 6 from its prebuilt binary, and the console.
# docker build -t hookline . && see docs/deploy.md for compose and Kubernetes.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# git: SCM polling of plain git remotes runs `git ls-remote`.
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 HOOKLINE_DATA_DIR=/var/lib/hookline
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts ./scripts
RUN mkdir -p /var/lib/hookline && chown node:node /var/lib/hookline
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--no-node-snapshot", "dist/apps/server/src/main.js"]
