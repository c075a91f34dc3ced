// The Overview and Metrics pages' charts: polls /api/v1/metrics/series and draws each [data-chart] element's
// lines with the vendored uPlot. The drawn data stays readable on window.ofsCharts[chart].plot.data.
(function () {
    "use strict";
    const endpoint = "/api/v1/metrics/series";
    const refreshMs = 5000;
    const windowSeconds = 15 * 60;
    const palette = ["#1f5fbf", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d", "#364fc7", "#a61e4d"];
    const containers = Array.from(document.querySelectorAll("[data-chart]"));
    const charts = {};
    window.ofsCharts = charts;
    if (containers.length === 0 || typeof uPlot === "undefined") return;

    function formatBytes(v) {
        if (v == null) return "";
        const units = ["B", "KiB", "MiB", "GiB", "TiB"];
        let i = 0;
        while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
        return (Math.round(v * 10) / 10) + " " + units[i];
    }

    function formatValue(unit, v) {
        if (v == null) return "–";
        if (unit === "B/s") return formatBytes(v) + "/s";
        return (Math.round(v * 100) / 100) + " " + unit;
    }

    function options(el, lines) {
        const unit = lines.length > 0 ? lines[0].unit : "";
        return {
            width: Math.max(320, el.clientWidth - 8),
            height: 200,
            series: [{}].concat(lines.map((line, i) => {
                const series = {
                    label: line.name,
                    stroke: palette[i % palette.length],
                    width: line.name === "all" ? 2 : 1.5,
                    spanGaps: false,
                    value: (u, v) => formatValue(line.unit, v),
                };
                // Journal latency has a value only in intervals with a flush: show each as a dot.
                if (line.unit === "ms") series.points = { show: true, size: 5 };
                return series;
            })),
            axes: [{}, { size: 84, values: (u, vals) => vals.map(v => unit === "B/s" ? formatBytes(v) : String(v)) }],
            // Always the whole window, so a young silo's few samples sit at the right, on readable ticks.
            scales: { x: { time: true, range: (u, min, max) => [(max || 0) - windowSeconds, max || 0] }, y: { range: (u, min, max) => [0, Math.max(max || 0, unit === "silos" ? 1 : 0.001) * 1.1] } },
        };
    }

    function draw(el, model) {
        const name = el.dataset.chart;
        const lines = model.lines.filter(l => l.chart === name);
        const data = [model.times.map(t => t / 1000)].concat(lines.map(l => l.values));
        const key = lines.map(l => l.name).join("|");
        let chart = charts[name];
        if (chart && chart.key !== key) { chart.plot.destroy(); chart = null; }
        if (!chart) {
            const target = el.querySelector(".plot");
            target.textContent = "";
            chart = charts[name] = { key: key, plot: new uPlot(options(el, lines), data, target) };
        } else {
            chart.plot.setData(data);
        }
        el.dataset.samples = String(model.times.length);
    }

    function say(text) {
        for (const el of document.querySelectorAll("[data-chart-status]")) el.textContent = text;
    }

    async function refresh() {
        try {
            const response = await fetch(endpoint, { headers: { "Accept": "application/json" }, cache: "no-store" });
            if (!response.ok) throw new Error(endpoint + " answered " + response.status);
            const model = await response.json();
            containers.forEach(el => draw(el, model));
            const missing = model.silosNotAnswering.length > 0 ? "; not answering: " + model.silosNotAnswering.join(", ") : "";
            say("Cluster-wide, " + model.silos.length + " silo(s), one sample every " + model.intervalSeconds + " s, updated " +
                new Date().toLocaleTimeString() + missing);
        } catch (e) {
            say("Could not update the charts: " + e.message);
        }
    }

    refresh();
    setInterval(refresh, refreshMs);
})();
