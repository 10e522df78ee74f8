// Records what the committed bundle is: its plotly.js and esbuild versions, size and sha256.
// tests/unit/test_plotly_bundle.py fails when the bundle and this record disagree.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const bundle = path.join(__dirname, "../../static/vendor/plotly-rekindle.min.js");
const bytes = fs.readFileSync(bundle);
const manifest = {
  file: "plotly-rekindle.min.js",
  "plotly.js": require("plotly.js/package.json").version,
  esbuild: require("esbuild/package.json").version,
  traces: ["scatter"],
  bytes: bytes.length,
  sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
};
fs.writeFileSync(
  path.join(__dirname, "../../static/vendor/plotly-rekindle.json"),
  JSON.stringify(manifest, null, 2) + "\n",
);
console.log(`bundle: ${manifest.bytes} bytes, plotly.js ${manifest["plotly.js"]}`);
