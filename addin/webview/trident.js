/*
 * Rendiconta LEPS on Internet Explorer 11 ("Trident"), the webview of volume-licensed Office 2019 and of Office on
 * Windows 7/8.1. Written in ES5 by hand and loaded before any bundle: the bundles are ES2017 and would not even parse
 * there. Following Microsoft's advice ("Support older Microsoft webviews and Office versions"), it detects Trident
 * from navigator.userAgent and tells the user, in Italian, what to use instead. Elsewhere it does nothing.
 *
 * The task pane shows the message in place of its content; the ribbon's commands (commands.html) register the same
 * function names as commands.js and open the message in an Office dialog (message.html).
 */
(function (global) {
  var TITLE = 'Questa versione di Excel non è supportata';
  var MESSAGE =
    'Questa installazione di Excel apre i componenti aggiuntivi con Internet Explorer 11, che Rendiconta LEPS non ' +
    'supporta. Usare Excel 2021 o successivo, oppure Microsoft 365; con Excel 2016 o 2019 non in licenza a volume ' +
    'basta installare Microsoft Edge WebView2. In alternativa, scaricare il modello .xlsx, compilarlo e ' +
    'controllarlo con il comando «rendiconta valida» (programma rendiconta).';
  var COMMAND_NAMES = ['insertTemplate', 'validateWorkbook', 'deleteRows'];

  function isTrident(userAgent) {
    return String(userAgent).indexOf('Trident') !== -1;
  }

  function showInPane() {
    var app = global.document.getElementById('app');
    if (!app) return;
    while (app.firstChild) app.removeChild(app.firstChild);
    var heading = global.document.createElement('h1');
    heading.appendChild(global.document.createTextNode(TITLE));
    var text = global.document.createElement('p');
    text.setAttribute('role', 'alert');
    text.appendChild(global.document.createTextNode(MESSAGE));
    app.appendChild(heading);
    app.appendChild(text);
    app.removeAttribute('aria-busy');
  }

  function messagePageUrl() {
    var here = String(global.location.href).split('#')[0].split('?')[0];
    var folder = here.substring(0, here.lastIndexOf('/') + 1);
    return (
      folder + 'message.html?esito=errore&titolo=' + encodeURIComponent(TITLE) + '&testo=' + encodeURIComponent(MESSAGE)
    );
  }

  function commandShowingMessage(event) {
    var office = global.Office;
    var done = function () {
      if (event && typeof event.completed === 'function') event.completed();
    };
    if (!office || !office.context || !office.context.ui) {
      done();
      return;
    }
    office.context.ui.displayDialogAsync(messagePageUrl(), { height: 40, width: 30 }, function (opened) {
      if (opened.status !== office.AsyncResultStatus.Succeeded) {
        done();
        return;
      }
      var dialog = opened.value;
      var close = function () {
        dialog.close();
        done();
      };
      dialog.addEventHandler(office.EventType.DialogMessageReceived, close);
      dialog.addEventHandler(office.EventType.DialogEventReceived, done);
    });
  }

  var trident = isTrident(global.navigator && global.navigator.userAgent);
  global.rendicontaLepsTrident = { trident: trident, title: TITLE, message: MESSAGE };
  if (!trident) return;

  var page = global.document.documentElement.getAttribute('data-page');
  if (page === 'commands') {
    for (var index = 0; index < COMMAND_NAMES.length; index++) global[COMMAND_NAMES[index]] = commandShowingMessage;
    if (global.Office && typeof global.Office.onReady === 'function') {
      global.Office.onReady(function () {
        if (global.Office.actions && typeof global.Office.actions.associate === 'function') {
          for (var name = 0; name < COMMAND_NAMES.length; name++) {
            global.Office.actions.associate(COMMAND_NAMES[name], commandShowingMessage);
          }
        }
      });
    }
  } else if (global.document.readyState === 'loading') {
    global.document.addEventListener('DOMContentLoaded', showInPane);
  } else {
    showInPane();
  }
})(this);
