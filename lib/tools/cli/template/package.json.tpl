{
  "name": "{{name}}",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "engines": { "node": ">=20.19" },
  "scripts": {
    "build": "node -e \"require('node:fs').rmSync('dist',{recursive:true,force:true})\" && tsc -p tsconfig.json && node -e \"for (const d of ['api','third_party']) require('node:fs').cpSync(d,'dist/'+d,{recursive:true,filter:(s)=>!s.endsWith('.ts')})\"",
    "start": "npm run build && node dist/main.js",
    "dev": "kratos-ts run",
    "lint": "kratos-ts proto lint api",
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
