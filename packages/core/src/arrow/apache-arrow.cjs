// apache-arrow's CommonJS build, which core imports in place of its ES module build: see apache-arrow.d.cts.
module.exports = require('apache-arrow');
