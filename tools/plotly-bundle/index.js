// Only what Rekindle draws: plotly.js core (which holds scatter) and scatterpolar.
var Plotly = require("plotly.js/lib/core");

Plotly.register([require("plotly.js/lib/scatterpolar")]);

module.exports = Plotly;
