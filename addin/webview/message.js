/*
 * The message page the ribbon's commands open in an Office dialog (Dialog API 1.1, in every Excel with ExcelApi 1.8):
 * what a command did, or why it failed. ES5 by hand, because the Internet Explorer 11 webview opens it too. The text
 * comes in the query string and is shown with textContent only, never as HTML.
 */
(function (global) {
  function queryValue(name) {
    var query = String(global.location.search).replace(/^\?/, '').split('&');
    for (var index = 0; index < query.length; index++) {
      var pair = query[index].split('=');
      if (decodeURIComponent(pair[0]) === name) return decodeURIComponent((pair[1] || '').replace(/\+/g, ' '));
    }
    return '';
  }

  function setText(id, text) {
    var element = global.document.getElementById(id);
    if (!element) return;
    while (element.firstChild) element.removeChild(element.firstChild);
    element.appendChild(global.document.createTextNode(text));
  }

  function close() {
    var office = global.Office;
    if (office && office.context && office.context.ui && typeof office.context.ui.messageParent === 'function') {
      office.context.ui.messageParent('chiudi');
    }
  }

  var title = queryValue('titolo');
  if (title) setText('message-title', title);
  setText('message-text', queryValue('testo') || 'Operazione terminata.');
  global.document.documentElement.setAttribute('data-esito', queryValue('esito') === 'ok' ? 'ok' : 'errore');
  var button = global.document.getElementById('message-close');
  if (button) button.addEventListener('click', close);
  if (global.Office && typeof global.Office.onReady === 'function') global.Office.onReady(function () {});
})(this);
