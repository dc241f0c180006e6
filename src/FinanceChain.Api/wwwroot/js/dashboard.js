// Draws every chart of the dashboard from its data-chart attribute (categories, unit, series).
// The same numbers are in the table beside each chart, so the page reads without script too.
(function () {
  'use strict';
  var palette = ['#8c1c13', '#1f4e79', '#c8922a', '#4a7c59', '#6b4c9a', '#5f6b73'];
  var font = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

  function draw(element) {
    var spec = JSON.parse(element.getAttribute('data-chart'));
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption({
      color: palette,
      textStyle: { fontFamily: font },
      animation: false,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: spec.categories,
        axisLabel: { interval: 0, width: 96, overflow: 'break', fontSize: 11 }
      },
      yAxis: { type: 'value', name: spec.unit, nameTextStyle: { align: 'left' } },
      series: spec.series.map(function (s) {
        return { name: s.name, type: 'bar', data: s.data, stack: spec.stacked ? 'total' : undefined, barMaxWidth: 28 };
      })
    });
    element.setAttribute('data-rendered', 'true');
    window.addEventListener('resize', function () { chart.resize(); });
  }

  document.querySelectorAll('[data-chart]').forEach(draw);
}());
