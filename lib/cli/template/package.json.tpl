{
  "name": "{{name}}",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "engines": { "node": ">=20.19" },
  "scripts": {
    "build": "rm -rf dist && tsc -p tsconfig.json && node -e \"require('node:fs').cpSync('api','dist/api',{recursive:true});require('node:fs').cpSync('configs','dist/configs',{recursive:true})\"",
    "start": "npm run build && node dist/main.js",
    "test": "npm run build && node --test --test-reporter=spec $(find dist -name '*.test.js')"
  },
  "dependencies": {
    "kratos-ts": "{{kratos}}"
  },
  "devDependencies": {
    "@types/node": "20.19.43",
    "typescript": "7.0.2"
  }
}
