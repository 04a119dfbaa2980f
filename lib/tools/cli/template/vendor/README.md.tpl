# vendor/

Tarballs of packages that do not come from the registry. Empty by default: kratos-ts is installed
from npm at the version in package.json.

To build against a local kratos-ts (a checkout you are changing), pack it here and depend on the
tarball; the Dockerfile copies this directory before `npm ci`, so the image builds the same way:

```sh
npm pack /path/to/kratos-ts --pack-destination vendor     # vendor/kratos-ts-<version>.tgz
npm install ./vendor/kratos-ts-<version>.tgz               # package.json: "kratos-ts": "file:vendor/..."
```

Switch back with `npm install kratos-ts@<version>`.
