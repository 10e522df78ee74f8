// Only what Rekindle draws with plotly.js: its core, which holds scatter (History's trend
// lines and Partner's gaps over time). Radars are SVG drawn on the server.
var Plotly = require("plotly.js/lib/core");

module.exports = Plotly;
