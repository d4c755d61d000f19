/* 邻里工作台 dashboards: draw each chart from the JSON data island #chart-data with the
   vendored ECharts (SVG renderer: crisp when printed). The table under each chart holds the
   same figures, so the page is complete without this script. */
(function () {
  "use strict";
  var island = document.getElementById("chart-data");
  if (!island || !window.echarts) { return; }
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var specs = JSON.parse(island.textContent);
  var charts = [];

  function option(spec) {
    var hasPercent = spec.series.some(function (s) { return s.percent; });
    var hasCount = spec.series.some(function (s) { return !s.percent; });
    var axes = [];
    if (hasCount) { axes.push({type: "value", minInterval: 1}); }
    if (hasPercent) { axes.push({type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}}); }
    return {
      textStyle: {fontFamily: FONT},
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: 48, right: hasPercent && hasCount ? 56 : 24, top: 40, bottom: 56},
      xAxis: {type: "category", data: spec.categories, axisLabel: {interval: 0, rotate: spec.categories.length > 6 ? 30 : 0}},
      yAxis: axes,
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: s.line ? "line" : "bar", data: s.data, stack: s.stack,
          yAxisIndex: s.percent && hasCount ? 1 : 0, connectNulls: true,
          tooltip: s.percent ? {valueFormatter: function (v) { return v == null ? "—" : v + "%"; }} : undefined
        };
      })
    };
  }

  specs.forEach(function (spec) {
    var el = document.querySelector('[data-chart="' + spec.id + '"]');
    if (!el) { return; }
    var chart = window.echarts.init(el, null, {renderer: "svg"});
    chart.setOption(option(spec));
    el.setAttribute("data-drawn", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
