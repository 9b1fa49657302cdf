<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AiModelText</name>
    <message>
        <source>shut down by Google</source>
        <translation>retirado por Google</translation>
    </message>
    <message>
        <source>not found by the service</source>
        <translation>el servicio no lo encuentra</translation>
    </message>
    <message>
        <source>setup refused by the service</source>
        <translation>el servicio rechazó la configuración</translation>
    </message>
    <message>
        <source>no Gemini model left</source>
        <translation>no queda ningún modelo de Gemini</translation>
    </message>
    <message>
        <source>model %1 (fallback)</source>
        <translation>modelo %1 (de reserva)</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>modelo %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 is in use and has answered.</source>
        <translation>%1 está en uso y ha respondido.</translation>
    </message>
    <message>
        <source>%1 is configured; no call has used it yet.</source>
        <translation>%1 está configurado; ninguna llamada lo ha usado aún.</translation>
    </message>
    <message>
        <source>AI: %1 of %2 Gemini sessions, %3 local</source>
        <translation>IA: %1 de %2 sesiones de Gemini, %3 locales</translation>
    </message>
    <message>
        <source>AI: %1 on Gemini, %2 local</source>
        <translation>IA: %1 con Gemini, %2 local</translation>
    </message>
    <message>
        <source>Calls beyond the Gemini budget get local triage and are upgraded when a session frees</source>
        <translation>Las llamadas por encima del límite de Gemini reciben triaje local y pasan a Gemini cuando se libera una sesión</translation>
    </message>
    <message>
        <source>%1 of %2 calls shadowed</source>
        <translation>%1 de %2 llamadas con respaldo local</translation>
    </message>
    <message>
        <source>limited by the configured maximum</source>
        <translation>limitado por el máximo configurado</translation>
    </message>
    <message>
        <source>limited by the free CPU, so that the calls&apos; audio is never delayed</source>
        <translation>limitado por la CPU libre, para que el audio de las llamadas nunca se retrase</translation>
    </message>
    <message>
        <source>none added while the calls&apos; audio is relayed late</source>
        <translation>no se añade ninguno mientras el audio de las llamadas se retransmite con retraso</translation>
    </message>
    <message>
        <source>Shadowed calls have the offline engine running beside Gemini, ready to take over at once if the link fails; %1.</source>
        <translation>Las llamadas con respaldo local tienen el motor sin conexión funcionando junto a Gemini, listo para tomar el relevo al instante si falla el enlace; %1.</translation>
    </message>
</context>
<context>
    <name>AudioDeviceHealth</name>
    <message>
        <source>You cannot HEAR callers: no working speaker (%1). Plug in a headset or pick an output in Settings (Ctrl+,).</source>
        <translation>NO OYE a los llamantes: no hay altavoz que funcione (%1). Conecte unos auriculares o elija una salida en Ajustes (Ctrl+,).</translation>
    </message>
    <message>
        <source>Callers cannot HEAR YOU: no microphone. Plug in a headset or pick an input in Settings (Ctrl+,).</source>
        <translation>Los llamantes NO LE OYEN: no hay micrófono. Conecte unos auriculares o elija una entrada en Ajustes (Ctrl+,).</translation>
    </message>
    <message>
        <source>Callers cannot HEAR YOU: the microphone failed (%1). Pick another input in Settings (Ctrl+,).</source>
        <translation>Los llamantes NO LE OYEN: el micrófono falló (%1). Elija otra entrada en Ajustes (Ctrl+,).</translation>
    </message>
</context>
<context>
    <name>HostLinkText</name>
    <message>
        <source>Connecting to %1</source>
        <translation>Conectando con %1</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Conectado a %1</translation>
    </message>
    <message numerus="yes">
        <source>The host has not answered for %n s</source>
        <translation>
            <numerusform>El anfitrión no responde desde hace %n s</numerusform>
            <numerusform>El anfitrión no responde desde hace %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection to the host lost (%1)</source>
        <translation>Conexión con el anfitrión perdida (%1)</translation>
    </message>
    <message>
        <source>The host closed this console&apos;s connection: %1</source>
        <translation>El anfitrión cerró la conexión de esta consola: %1</translation>
    </message>
    <message>
        <source>The host&apos;s certificate is not trusted (%1). Check its fingerprint on the host and pass it with --fingerprint %2</source>
        <translation>El certificado del anfitrión no es de confianza (%1). Compruebe su huella en el anfitrión y pásela con --fingerprint %2</translation>
    </message>
    <message>
        <source>The host did not use TLS, but a certificate fingerprint is pinned</source>
        <translation>El anfitrión no usó TLS, pero hay una huella de certificado fijada</translation>
    </message>
    <message>
        <source>The host&apos;s certificate fingerprint %1 does not match the pinned one</source>
        <translation>La huella del certificado del anfitrión %1 no coincide con la fijada</translation>
    </message>
    <message>
        <source>%1; reconnecting in %2 s</source>
        <translation>%1; reconectando en %2 s</translation>
    </message>
    <message>
        <source>Not connected to the host yet: no calls are shown.</source>
        <translation>Aún sin conexión con el anfitrión: no se muestran llamadas.</translation>
    </message>
    <message numerus="yes">
        <source>The host has not answered for %n s: calls on screen may be out of date and actions may not reach it.</source>
        <translation>
            <numerusform>El anfitrión no responde desde hace %n s: las llamadas en pantalla pueden estar desactualizadas y las acciones pueden no llegarle.</numerusform>
            <numerusform>El anfitrión no responde desde hace %n s: las llamadas en pantalla pueden estar desactualizadas y las acciones pueden no llegarle.</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection to the host LOST: calls on screen are frozen at what was last known. Reconnecting...</source>
        <translation>Conexión con el anfitrión PERDIDA: las llamadas en pantalla muestran lo último conocido. Reconectando...</translation>
    </message>
    <message>
        <source>The host refused this console: %1</source>
        <translation>El anfitrión rechazó esta consola: %1</translation>
    </message>
</context>
<context>
    <name>PlaceText</name>
    <message>
        <source>Building %1</source>
        <translation>Edificio %1</translation>
    </message>
    <message>
        <source>Floor %1</source>
        <translation>Planta %1</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>Sala %1</translation>
    </message>
    <message>
        <source>Unit %1</source>
        <translation>Unidad %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>≈ %1 m from %2</source>
        <translation>≈ %1 m de %2</translation>
    </message>
    <message>
        <source>No site address within %1 m of the location</source>
        <translation>Ninguna dirección del sitio a menos de %1 m de la ubicación</translation>
    </message>
    <message>
        <source>No site address data</source>
        <translation>Sin datos de direcciones del sitio</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1, Unit %2</source>
        <translation>%1, unidad %2</translation>
    </message>
</context>
<context>
    <name>RefusalText</name>
    <message>
        <source>answer</source>
        <translation>atender</translation>
    </message>
    <message>
        <source>hold</source>
        <translation>poner en espera</translation>
    </message>
    <message>
        <source>resume</source>
        <translation>reanudar</translation>
    </message>
    <message>
        <source>end</source>
        <translation>finalizar</translation>
    </message>
    <message>
        <source>accept the location of</source>
        <translation>aceptar la ubicación de</translation>
    </message>
    <message>
        <source>override</source>
        <translation>corregir</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>transferir</translation>
    </message>
    <message>
        <source>take over</source>
        <translation>tomar el control de</translation>
    </message>
    <message>
        <source>act on</source>
        <translation>actuar sobre</translation>
    </message>
    <message>
        <source>There is no call %1.</source>
        <translation>No hay ninguna llamada %1.</translation>
    </message>
    <message>
        <source>Call %1 has ended.</source>
        <translation>La llamada %1 ha finalizado.</translation>
    </message>
    <message>
        <source>Call %1 is already answered by %2.</source>
        <translation>La llamada %1 ya la atiende %2.</translation>
    </message>
    <message>
        <source>This call has no location to accept.</source>
        <translation>Esta llamada no tiene ubicación que aceptar.</translation>
    </message>
    <message>
        <source>Not connected to the host (%1).</source>
        <translation>Sin conexión con el anfitrión (%1).</translation>
    </message>
    <message>
        <source>The host refused: %1</source>
        <translation>El anfitrión lo rechazó: %1</translation>
    </message>
    <message>
        <source>Cannot %1 call %2 now.</source>
        <translation>Ahora no se puede %1 la llamada %2.</translation>
    </message>
    <message>
        <source>acknowledge the critical alert of</source>
        <translation>confirmar la alerta crítica de</translation>
    </message>
    <message>
        <source>resolve the follow-up of</source>
        <translation>cerrar el seguimiento de</translation>
    </message>
</context>
<context>
    <name>StorageAlarmText</name>
    <message>
        <source>No call storage: calls are answered but NOT recorded.</source>
        <translation>Sin almacenamiento de llamadas: las llamadas se atienden pero NO se graban.</translation>
    </message>
    <message>
        <source>Not recording</source>
        <translation>Sin grabación</translation>
    </message>
    <message>
        <source>Disk space is low (%1). Calls are still recorded; free space on the recording disk now.</source>
        <translation>Queda poco espacio en disco (%1). Las llamadas se siguen grabando; libere espacio en el disco de grabación ahora.</translation>
    </message>
    <message>
        <source>Disk space low</source>
        <translation>Poco espacio en disco</translation>
    </message>
    <message>
        <source>Recording is FAILING (%1). Calls are answered but not fully recorded.</source>
        <translation>La grabación está FALLANDO (%1). Las llamadas se atienden pero no se graban por completo.</translation>
    </message>
    <message>
        <source>Recording failing</source>
        <translation>Grabación fallando</translation>
    </message>
    <message>
        <source>Storage is unavailable (%1). Calls are answered but NOT recorded.</source>
        <translation>El almacenamiento no está disponible (%1). Las llamadas se atienden pero NO se graban.</translation>
    </message>
    <message>
        <source>The audit trail cannot be trusted (%1). Calls are still recorded; tell the administrator.</source>
        <translation>No se puede confiar en el registro de auditoría (%1). Las llamadas se siguen grabando; avise al administrador.</translation>
    </message>
    <message>
        <source>Audit alarm</source>
        <translation>Alarma de auditoría</translation>
    </message>
</context>
<context>
    <name>dispatch::AudioPanel</name>
    <message>
        <source>Mute caller</source>
        <translation>Silenciar llamante</translation>
    </message>
    <message>
        <source>Hold to talk (F6)</source>
        <translation>Mantener para hablar (F6)</translation>
    </message>
    <message>
        <source>Open mic</source>
        <translation>Micrófono abierto</translation>
    </message>
    <message>
        <source>Call audio</source>
        <translation>Audio de la llamada</translation>
    </message>
    <message>
        <source>Mute the caller&apos;s audio on this console (Ctrl+Shift+M)</source>
        <translation>Silenciar el audio del llamante en esta consola (Ctrl+Mayús+M)</translation>
    </message>
    <message>
        <source>Talk to the caller until switched off (Ctrl+T)</source>
        <translation>Hablar con el llamante hasta desactivarlo (Ctrl+T)</translation>
    </message>
    <message>
        <source>Talk to the caller while held (or hold F6)</source>
        <translation>Hablar con el llamante mientras se mantiene pulsado (o mantenga F6)</translation>
    </message>
    <message>
        <source>TALKING to the caller</source>
        <translation>HABLANDO con el llamante</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Escuchando</translation>
    </message>
    <message>
        <source>● talking  %1%</source>
        <translation>● hablando  %1%</translation>
    </message>
    <message>
        <source>NOT TRANSMITTING: no working microphone</source>
        <translation>SIN TRANSMITIR: no hay micrófono que funcione</translation>
    </message>
</context>
<context>
    <name>dispatch::CallAudio</name>
    <message>
        <source>Speaker: %1</source>
        <translation>Altavoz: %1</translation>
    </message>
    <message>
        <source>Microphone: %1</source>
        <translation>Micrófono: %1</translation>
    </message>
</context>
<context>
    <name>dispatch::CallDetailPanel</name>
    <message>
        <source>Live transcript</source>
        <translation>Transcripción en directo</translation>
    </message>
    <message>
        <source>Vitals (from the caller&apos;s camera)</source>
        <translation>Constantes vitales (desde la cámara del llamante)</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Cámara</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>Triaje</translation>
    </message>
    <message>
        <source>Pre-arrival instructions (read to the caller)</source>
        <translation>Instrucciones previas a la llegada (leer al llamante)</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
</context>
<context>
    <name>dispatch::CallGuards</name>
    <message>
        <source>Call %1 ended before a disposition was chosen.</source>
        <translation>La llamada %1 terminó antes de elegir una resolución.</translation>
    </message>
    <message>
        <source>Call %1 ended; it was not transferred.</source>
        <translation>La llamada %1 terminó; no se transfirió.</translation>
    </message>
    <message>
        <source>Call %1 stays live.</source>
        <translation>La llamada %1 sigue activa.</translation>
    </message>
    <message>
        <source>Select a call to transfer.</source>
        <translation>Seleccione una llamada para transferirla.</translation>
    </message>
    <message>
        <source>No other dispatcher can take call %1: the host knows no dispatcher to transfer it to.</source>
        <translation>Ningún otro operador puede atender la llamada %1: el anfitrión no conoce a ningún operador al que transferirla.</translation>
    </message>
    <message>
        <source>%1 has already followed up call %2.</source>
        <translation>%1 ya ha hecho el seguimiento de la llamada %2.</translation>
    </message>
    <message>
        <source>Select an abandoned or lost call to follow up.</source>
        <translation>Seleccione una llamada abandonada o perdida para hacer su seguimiento.</translation>
    </message>
</context>
<context>
    <name>dispatch::CallHeader</name>
    <message>
        <source>No call selected</source>
        <translation>Ninguna llamada seleccionada</translation>
    </message>
    <message>
        <source>F2 answers the next ringing call</source>
        <translation>F2 atiende la siguiente llamada que suena</translation>
    </message>
    <message>
        <source>Call %1 · %2</source>
        <translation>Llamada %1 · %2</translation>
    </message>
    <message>
        <source>Caller connection lost</source>
        <translation>Conexión con el llamante perdida</translation>
    </message>
    <message>
        <source>Handled by %1</source>
        <translation>Atendida por %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>connection failed</source>
        <translation>la conexión falló</translation>
    </message>
    <message>
        <source>quota exceeded</source>
        <translation>cuota agotada</translation>
    </message>
    <message>
        <source>API key refused</source>
        <translation>clave de API rechazada</translation>
    </message>
    <message>
        <source>model not found</source>
        <translation>modelo no encontrado</translation>
    </message>
    <message>
        <source>request refused</source>
        <translation>solicitud rechazada</translation>
    </message>
    <message>
        <source>local triage selected</source>
        <translation>triaje local seleccionado</translation>
    </message>
    <message>
        <source>no API key</source>
        <translation>sin clave de API</translation>
    </message>
    <message>
        <source>waiting for an AI slot (%1 of %2 in use)</source>
        <translation>esperando un hueco de IA (%1 de %2 en uso)</translation>
    </message>
    <message>
        <source>AI unavailable (%1); retrying in %2 s</source>
        <translation>IA no disponible (%1); reintento en %2 s</translation>
    </message>
    <message>
        <source>fallback: %1</source>
        <translation>respaldo: %1</translation>
    </message>
    <message>
        <source>local triage meanwhile</source>
        <translation>triaje local mientras tanto</translation>
    </message>
    <message>
        <source>F7 follows up</source>
        <translation>F7 hace el seguimiento</translation>
    </message>
    <message>
        <source>Vertex AI refused the service-account credentials</source>
        <translation>Vertex AI rechazó las credenciales de la cuenta de servicio</translation>
    </message>
</context>
<context>
    <name>dispatch::CallHistoryModel</name>
    <message>
        <source>caller hung up</source>
        <translation>el llamante colgó</translation>
    </message>
    <message>
        <source>dispatcher ended</source>
        <translation>finalizada por el operador</translation>
    </message>
    <message>
        <source>caller lost</source>
        <translation>llamante perdido</translation>
    </message>
    <message>
        <source>abandoned</source>
        <translation>abandonada</translation>
    </message>
    <message>
        <source>terminated by admin</source>
        <translation>terminada por el administrador</translation>
    </message>
    <message>
        <source>console shut down</source>
        <translation>consola apagada</translation>
    </message>
    <message>
        <source>The console stopped during this call: the record may be incomplete.</source>
        <translation>La consola se detuvo durante esta llamada: el registro puede estar incompleto.</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrumpida</translation>
    </message>
    <message>
        <source>Rang</source>
        <translation>Sonó</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Llamada</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Last location</source>
        <translation>Última ubicación</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>Atendida por</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>rang</source>
        <translation>sonó</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>atendida</translation>
    </message>
    <message>
        <source>put on hold</source>
        <translation>puesta en espera</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>reanudada</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>finalizada</translation>
    </message>
    <message>
        <source>first triage</source>
        <translation>primer triaje</translation>
    </message>
    <message>
        <source>critical flagged</source>
        <translation>marcada como crítica</translation>
    </message>
    <message>
        <source>caller disconnected</source>
        <translation>llamante desconectado</translation>
    </message>
    <message>
        <source>caller reconnected</source>
        <translation>llamante reconectado</translation>
    </message>
    <message>
        <source>location updated</source>
        <translation>ubicación actualizada</translation>
    </message>
    <message>
        <source>location accepted</source>
        <translation>ubicación aceptada</translation>
    </message>
    <message>
        <source>caller texted</source>
        <translation>el llamante escribió</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>transferida</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>critical acknowledged</source>
        <translation>crítica confirmada</translation>
    </message>
    <message>
        <source>followed up</source>
        <translation>seguimiento hecho</translation>
    </message>
</context>
<context>
    <name>dispatch::CallLists</name>
    <message>
        <source>Recent calls (ended)</source>
        <translation>Llamadas recientes (terminadas)</translation>
    </message>
    <message>
        <source>Call queue</source>
        <translation>Cola de llamadas</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>Llamadas recientes</translation>
    </message>
    <message>
        <source>Critical alert on call %1 (severity %2): %3</source>
        <translation>Alerta crítica en la llamada %1 (gravedad %2): %3</translation>
    </message>
</context>
<context>
    <name>dispatch::CallQueueModel</name>
    <message>
        <source>Ringing</source>
        <translation>Sonando</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activa</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Finalizada</translation>
    </message>
    <message>
        <source>%1 (caller lost)</source>
        <translation>%1 (llamante perdido)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>AI connecting</source>
        <translation>IA conectando</translation>
    </message>
    <message>
        <source>AI (Gemini) listening</source>
        <translation>IA (Gemini) escuchando</translation>
    </message>
    <message>
        <source>AI reconnecting</source>
        <translation>IA reconectando</translation>
    </message>
    <message>
        <source>local triage</source>
        <translation>triaje local</translation>
    </message>
    <message>
        <source>AI failed</source>
        <translation>IA con fallo</translation>
    </message>
    <message>
        <source>AI</source>
        <translation>IA</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Not triaged yet</source>
        <translation>Aún sin triaje</translation>
    </message>
    <message>
        <source>%1
Unconfirmed lead: %2, severity %3 (%4)</source>
        <translation>%1
Indicio sin confirmar: %2, gravedad %3 (%4)</translation>
    </message>
    <message>
        <source>Ringing time until answered</source>
        <translation>Tiempo sonando hasta ser atendida</translation>
    </message>
    <message>
        <source>Time since answered</source>
        <translation>Tiempo desde que se atendió</translation>
    </message>
    <message>
        <source>%1?</source>
        <translation>%1?</translation>
    </message>
    <message>
        <source>keywords only</source>
        <translation>solo palabras clave</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Llamante</translation>
    </message>
    <message>
        <source>Ring</source>
        <translation>Timbre</translation>
    </message>
    <message>
        <source>Talk</source>
        <translation>Atención</translation>
    </message>
    <message>
        <source>Stopped at %1: the host cannot be reached, so whether this call still rings or was answered is not known</source>
        <translation>Detenido a las %1: no se puede contactar con el anfitrión, así que no se sabe si esta llamada sigue sonando o ya se atendió</translation>
    </message>
    <message>
        <source>Unacknowledged critical alert on %1: %2</source>
        <translation>Alerta crítica sin confirmar en %1: %2</translation>
    </message>
    <message>
        <source>%1, unacknowledged critical alert</source>
        <translation>%1, alerta crítica sin confirmar</translation>
    </message>
</context>
<context>
    <name>dispatch::CallWall</name>
    <message>
        <source>Call wall</source>
        <translation>Muro de llamadas</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Sonando</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activa</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>≤ 15 s today (target %1%)</source>
        <translation>≤ 15 s hoy (objetivo %1%)</translation>
    </message>
    <message>
        <source>≤ 20 s today (target %1%)</source>
        <translation>≤ 20 s hoy (objetivo %1%)</translation>
    </message>
    <message>
        <source>Mean answer</source>
        <translation>Respuesta media</translation>
    </message>
    <message>
        <source>Answer → triage</source>
        <translation>Respuesta → triaje</translation>
    </message>
    <message>
        <source>Abandoned today</source>
        <translation>Abandonadas hoy</translation>
    </message>
    <message>
        <source>Meets the target</source>
        <translation>Cumple el objetivo</translation>
    </message>
    <message>
        <source>Below the target</source>
        <translation>Por debajo del objetivo</translation>
    </message>
    <message>
        <source>Callbacks due</source>
        <translation>Rellamadas pendientes</translation>
    </message>
    <message>
        <source>Callers who hung up or were lost wait for a callback</source>
        <translation>Llamantes que colgaron o se perdieron esperan una rellamada</translation>
    </message>
</context>
<context>
    <name>dispatch::CallWallModel</name>
    <message>
        <source>Caller lost</source>
        <translation>Llamante perdido</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Abandonada</translation>
    </message>
</context>
<context>
    <name>dispatch::CallerCard</name>
    <message>
        <source>Caller and location</source>
        <translation>Llamante y ubicación</translation>
    </message>
    <message>
        <source>No call selected</source>
        <translation>Ninguna llamada seleccionada</translation>
    </message>
    <message>
        <source>Caller %1</source>
        <translation>Llamante %1</translation>
    </message>
    <message>
        <source>Callback: phone page/app (no phone number)</source>
        <translation>Devolución: página o app del teléfono (sin número)</translation>
    </message>
    <message>
        <source>No phone number: to call back, the caller&apos;s phone page or app reconnects over the network with its call credential.</source>
        <translation>Sin número de teléfono: para devolver la llamada, la página o app del llamante se reconecta por la red con su credencial de llamada.</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Verificada</translation>
    </message>
    <message>
        <source>Verified by %1</source>
        <translation>Verificada por %1</translation>
    </message>
    <message>
        <source>Unverified (phone GPS) · Ctrl+L accepts</source>
        <translation>Sin verificar (GPS del teléfono) · Ctrl+L la acepta</translation>
    </message>
    <message>
        <source>This site has no address points: the console cannot name an address for a location.</source>
        <translation>Este sitio no tiene puntos de dirección: la consola no puede dar una dirección para una ubicación.</translation>
    </message>
    <message>
        <source>No location yet</source>
        <translation>Aún sin ubicación</translation>
    </message>
    <message>
        <source>%1 ± %2 m</source>
        <translation>%1 ± %2 m</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1, %2 (WGS 84)</source>
        <translation>%1, %2 (WGS 84)</translation>
    </message>
    <message>
        <source>fix %1 s ago</source>
        <translation>posición de hace %1 s</translation>
    </message>
    <message>
        <source>fix %1 min ago</source>
        <translation>posición de hace %1 min</translation>
    </message>
    <message>
        <source>fix %1 h ago</source>
        <translation>posición de hace %1 h</translation>
    </message>
</context>
<context>
    <name>dispatch::CameraView</name>
    <message>
        <source>Caller camera</source>
        <translation>Cámara del llamante</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Sin cámara</translation>
    </message>
    <message>
        <source>Unreadable frame</source>
        <translation>Imagen ilegible</translation>
    </message>
    <message>
        <source>live</source>
        <translation>en directo</translation>
    </message>
    <message numerus="yes">
        <source>%n s old</source>
        <translation>
            <numerusform>hace %n s</numerusform>
            <numerusform>hace %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dispatch::CaptureWorker</name>
    <message>
        <source>no microphone</source>
        <translation>sin micrófono</translation>
    </message>
    <message>
        <source>cannot open %1</source>
        <translation>no se puede abrir %1</translation>
    </message>
</context>
<context>
    <name>dispatch::CriticalBanner</name>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Confirmar</translation>
    </message>
    <message>
        <source>Critical alert</source>
        <translation>Alerta crítica</translation>
    </message>
    <message>
        <source>Acknowledge the critical alert (Ctrl+K)</source>
        <translation>Confirmar la alerta crítica (Ctrl+K)</translation>
    </message>
    <message>
        <source>CRITICAL (severity %1): %2</source>
        <translation>CRÍTICO (gravedad %1): %2</translation>
    </message>
    <message>
        <source>POSSIBLE critical, unconfirmed — listen to the caller (severity %1): %2</source>
        <translation>POSIBLE crítico, sin confirmar — escuche al llamante (gravedad %1): %2</translation>
    </message>
    <message>
        <source>Acknowledge the critical alert</source>
        <translation>Confirmar la alerta crítica</translation>
    </message>
    <message>
        <source>Acknowledged by %1 at %2 — critical: %3</source>
        <translation>Confirmada por %1 a las %2 — crítica: %3</translation>
    </message>
</context>
<context>
    <name>dispatch::DemoDriver</name>
    <message>
        <source>no demo calls in %1</source>
        <translation>no hay llamadas de demostración en %1</translation>
    </message>
    <message>
        <source>the demo calls in %1 have no audio (were they built?)</source>
        <translation>las llamadas de demostración de %1 no tienen audio (¿se generaron?)</translation>
    </message>
    <message>
        <source>dispatch-caller was not found next to %1</source>
        <translation>no se encontró dispatch-caller junto a %1</translation>
    </message>
    <message>
        <source>no demo calls are installed</source>
        <translation>no hay llamadas de demostración instaladas</translation>
    </message>
</context>
<context>
    <name>dispatch::DispositionDialog</name>
    <message>
        <source>none given</source>
        <translation>sin indicar</translation>
    </message>
    <message>
        <source>Units dispatched</source>
        <translation>Unidades enviadas</translation>
    </message>
    <message>
        <source>Transferred to another agency</source>
        <translation>Transferida a otro organismo</translation>
    </message>
    <message>
        <source>Caller disconnected</source>
        <translation>El llamante se desconectó</translation>
    </message>
    <message>
        <source>Handled without dispatch</source>
        <translation>Resuelta sin enviar unidades</translation>
    </message>
    <message>
        <source>False alarm / no emergency</source>
        <translation>Falsa alarma / no es una emergencia</translation>
    </message>
    <message>
        <source>End call</source>
        <translation>Finalizar llamada</translation>
    </message>
    <message>
        <source>How was call %1 closed?</source>
        <translation>¿Cómo se resolvió la llamada %1?</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>Resolución</translation>
    </message>
    <message>
        <source>Pick with the arrows or 1-%1, Enter ends the call, Esc keeps it live.</source>
        <translation>Elija con las flechas o con 1-%1; Intro finaliza la llamada, Esc la mantiene activa.</translation>
    </message>
    <message>
        <source>&amp;End call</source>
        <translation>&amp;Finalizar llamada</translation>
    </message>
    <message>
        <source>&amp;Keep the call</source>
        <translation>&amp;Mantener la llamada</translation>
    </message>
</context>
<context>
    <name>dispatch::FollowUpDialog</name>
    <message>
        <source>follow-up open</source>
        <translation>seguimiento pendiente</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>Devuelta la llamada</translation>
    </message>
    <message>
        <source>Called back, no answer</source>
        <translation>Devuelta la llamada, sin respuesta</translation>
    </message>
    <message>
        <source>Handled otherwise</source>
        <translation>Resuelta de otro modo</translation>
    </message>
    <message>
        <source>ABANDONED - call back</source>
        <translation>ABANDONADA - devolver la llamada</translation>
    </message>
    <message>
        <source>CALLER LOST</source>
        <translation>LLAMANTE PERDIDO</translation>
    </message>
    <message>
        <source>no location</source>
        <translation>sin ubicación</translation>
    </message>
    <message>
        <source>No callback number: the caller used the phone web page (caller %1, %2).</source>
        <translation>Sin número para devolver la llamada: el llamante usó la página web del teléfono (llamante %1, %2).</translation>
    </message>
    <message>
        <source>Follow up call</source>
        <translation>Seguimiento de la llamada</translation>
    </message>
    <message>
        <source>%1: what came of the follow-up of call %2?</source>
        <translation>%1: ¿cuál fue el resultado del seguimiento de la llamada %2?</translation>
    </message>
    <message>
        <source>Caller lost</source>
        <translation>Llamante perdido</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Abandonada</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Seguimiento</translation>
    </message>
    <message>
        <source>Pick with the arrows or 1-%1, Enter records it, Esc leaves the follow-up open.</source>
        <translation>Elija con las flechas o con 1-%1; Intro lo registra, Esc deja el seguimiento pendiente.</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>&amp;Registrar</translation>
    </message>
    <message>
        <source>&amp;Leave open</source>
        <translation>&amp;Dejar pendiente</translation>
    </message>
    <message>
        <source>While it rang: severity %1, %2. %3</source>
        <translation>Mientras sonaba: gravedad %1, %2. %3</translation>
    </message>
    <message>
        <source>Nothing assessed from the time it rang.</source>
        <translation>No hay evaluación del tiempo en que sonaba.</translation>
    </message>
    <message>
        <source>last location %1</source>
        <translation>última ubicación %1</translation>
    </message>
</context>
<context>
    <name>dispatch::HistorySearch</name>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>This shift</source>
        <translation>Este turno</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personalizado</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Intervalo de tiempo</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>lat, lon</source>
        <translation>lat, lon</translation>
    </message>
    <message>
        <source>Near place (latitude, longitude)</source>
        <translation>Cerca del lugar (latitud, longitud)</translation>
    </message>
    <message>
        <source> km</source>
        <translation> km</translation>
    </message>
    <message>
        <source>Radius</source>
        <translation>Radio</translation>
    </message>
    <message>
        <source>south, west, north, east</source>
        <translation>sur, oeste, norte, este</translation>
    </message>
    <message>
        <source>Inside box</source>
        <translation>Dentro del recuadro</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>Cualquier tipo</translation>
    </message>
    <message>
        <source>Response type</source>
        <translation>Tipo de respuesta</translation>
    </message>
    <message>
        <source>any</source>
        <translation>cualquiera</translation>
    </message>
    <message>
        <source>Minimum severity</source>
        <translation>Gravedad mínima</translation>
    </message>
    <message>
        <source>words in the transcript or triage summary</source>
        <translation>palabras de la transcripción o del resumen de triaje</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Severity at least</source>
        <translation>Gravedad mínima</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Write the place as latitude, longitude (for example 52.52, 13.405).</source>
        <translation>Escriba el lugar como latitud, longitud (por ejemplo 52.52, 13.405).</translation>
    </message>
    <message>
        <source>Write the box as south, west, north, east in degrees.</source>
        <translation>Escriba el recuadro como sur, oeste, norte, este en grados.</translation>
    </message>
    <message>
        <source>The time range is empty: &apos;from&apos; must be before &apos;to&apos;.</source>
        <translation>El intervalo de tiempo está vacío: «desde» debe ser anterior a «hasta».</translation>
    </message>
    <message>
        <source>The place is not a valid latitude/longitude.</source>
        <translation>El lugar no es una latitud/longitud válida.</translation>
    </message>
    <message>
        <source>The box must be south, west, north, east with south &lt;= north and west &lt;= east.</source>
        <translation>El recuadro debe ser sur, oeste, norte, este con sur &lt;= norte y oeste &lt;= este.</translation>
    </message>
</context>
<context>
    <name>dispatch::HistoryWindow</name>
    <message>
        <source>Call history</source>
        <translation>Historial de llamadas</translation>
    </message>
    <message>
        <source>Past calls</source>
        <translation>Llamadas anteriores</translation>
    </message>
    <message>
        <source>Enter or double-click opens the call</source>
        <translation>Intro o doble clic abre la llamada</translation>
    </message>
    <message>
        <source>Call history is unavailable: %1</source>
        <translation>El historial de llamadas no está disponible: %1</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>La búsqueda falló: %1</translation>
    </message>
    <message>
        <source>No calls match.</source>
        <translation>Ninguna llamada coincide.</translation>
    </message>
    <message>
        <source>Showing the newest %1 calls: narrow the search to see older ones.</source>
        <translation>Se muestran las %1 llamadas más recientes: acote la búsqueda para ver las anteriores.</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s)</source>
        <translation>
            <numerusform>%n llamada</numerusform>
            <numerusform>%n llamadas</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot open call %1: %2</source>
        <translation>No se puede abrir la llamada %1: %2</translation>
    </message>
    <message>
        <source>The %1 of call %2 could not be written to the audit trail.</source>
        <translation>No se pudo escribir en el registro de auditoría la acción %1 de la llamada %2.</translation>
    </message>
    <message>
        <source>Export call %1 to</source>
        <translation>Exportar la llamada %1 a</translation>
    </message>
    <message>
        <source>Call %1 is not the newest call with this id; only the newest one can be exported.</source>
        <translation>La llamada %1 no es la más reciente con este identificador; solo se puede exportar la más reciente.</translation>
    </message>
    <message>
        <source>Exporting call %1...</source>
        <translation>Exportando la llamada %1...</translation>
    </message>
    <message>
        <source>Export of call %1 failed: %2</source>
        <translation>La exportación de la llamada %1 falló: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported call %1 to %2: %n file(s), %3 kB.</source>
        <translation>
            <numerusform>Llamada %1 exportada a %2: %n archivo, %3 kB.</numerusform>
            <numerusform>Llamada %1 exportada a %2: %n archivos, %3 kB.</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching...</source>
        <translation>Buscando...</translation>
    </message>
</context>
<context>
    <name>dispatch::JoinDialog</name>
    <message>
        <source>Join from a phone</source>
        <translation>Unirse desde un teléfono</translation>
    </message>
    <message>
        <source>On a phone on the same network, scan the code or open the address. The phone needs no app and no account.</source>
        <translation>En un teléfono de la misma red, escanee el código o abra la dirección. El teléfono no necesita aplicación ni cuenta.</translation>
    </message>
    <message>
        <source>Address of this console</source>
        <translation>Dirección de esta consola</translation>
    </message>
    <message>
        <source>This console serves plain HTTP: phones can join only on this machine.</source>
        <translation>Esta consola sirve HTTP sin cifrar: los teléfonos solo pueden unirse desde esta máquina.</translation>
    </message>
    <message>
        <source>The phone will warn about the certificate. Check that its SHA-256 fingerprint is:
%1</source>
        <translation>El teléfono avisará del certificado. Compruebe que su huella SHA-256 es:
%1</translation>
    </message>
    <message>
        <source>No network address</source>
        <translation>Sin dirección de red</translation>
    </message>
</context>
<context>
    <name>dispatch::MainWindow</name>
    <message>
        <source>Dispatch Console</source>
        <translation>Consola de despacho</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>&amp;Llamada</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Llamadas</translation>
    </message>
    <message>
        <source>&amp;Answer next call</source>
        <translation>&amp;Atender la siguiente llamada</translation>
    </message>
    <message>
        <source>&amp;Hold / resume</source>
        <translation>&amp;Espera / reanudar</translation>
    </message>
    <message>
        <source>&amp;End call</source>
        <translation>&amp;Finalizar llamada</translation>
    </message>
    <message>
        <source>Ac&amp;knowledge critical alert</source>
        <translation>Co&amp;nfirmar alerta crítica</translation>
    </message>
    <message>
        <source>&amp;Override triage...</source>
        <translation>&amp;Corregir el triaje...</translation>
    </message>
    <message>
        <source>Accept caller &amp;location</source>
        <translation>Aceptar la &amp;ubicación del llamante</translation>
    </message>
    <message>
        <source>Mark the phone&apos;s location as verified (Ctrl+L)</source>
        <translation>Marcar la ubicación del teléfono como verificada (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;Mute alert sounds</source>
        <translation>&amp;Silenciar los sonidos de alerta</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>No call is ringing.</source>
        <translation>No hay ninguna llamada entrante.</translation>
    </message>
    <message>
        <source>Phones connect to %1</source>
        <translation>Los teléfonos se conectan a %1</translation>
    </message>
    <message>
        <source>TLS fingerprint %1</source>
        <translation>Huella TLS %1</translation>
    </message>
    <message numerus="yes">
        <source>%n phone(s) connected</source>
        <translation>
            <numerusform>%n teléfono conectado</numerusform>
            <numerusform>%n teléfonos conectados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) ringing</source>
        <translation>
            <numerusform>%n llamada sonando</numerusform>
            <numerusform>%n llamadas sonando</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the call &amp;wall</source>
        <translation>Abrir el &amp;muro de llamadas</translation>
    </message>
    <message>
        <source>&amp;Join from a phone...</source>
        <translation>&amp;Unirse desde un teléfono...</translation>
    </message>
    <message>
        <source>&amp;Settings...</source>
        <translation>&amp;Configuración...</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>The API key could not be stored in %1.</source>
        <translation>No se pudo guardar la clave de API en %1.</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Configuración guardada.</translation>
    </message>
    <message>
        <source>&amp;Transfer call...</source>
        <translation>&amp;Transferir llamada...</translation>
    </message>
    <message>
        <source>Ta&amp;ke over call</source>
        <translation>&amp;Hacerse cargo de la llamada</translation>
    </message>
    <message>
        <source>Answer the selected call or make it yours (Ctrl+Shift+T)</source>
        <translation>Atender la llamada seleccionada o hacerse cargo de ella (Ctrl+Mayús+T)</translation>
    </message>
    <message>
        <source>Remote console of %1 as %2</source>
        <translation>Consola remota de %1 como %2</translation>
    </message>
    <message>
        <source>Hi&amp;story</source>
        <translation>Hi&amp;storial</translation>
    </message>
    <message>
        <source>&amp;Recent calls of this shift</source>
        <translation>Llamadas &amp;recientes de este turno</translation>
    </message>
    <message>
        <source>Search and play back past calls (F9)</source>
        <translation>Buscar y reproducir llamadas anteriores (F9)</translation>
    </message>
    <message>
        <source>Storage alarm</source>
        <translation>Alarma de almacenamiento</translation>
    </message>
    <message>
        <source>this console runs without call storage</source>
        <translation>esta consola funciona sin almacenamiento de llamadas</translation>
    </message>
    <message>
        <source>Call history is unavailable: %1</source>
        <translation>El historial de llamadas no está disponible: %1</translation>
    </message>
    <message>
        <source>Host link: %1</source>
        <translation>Enlace con el anfitrión: %1</translation>
    </message>
    <message>
        <source>Quit the console?</source>
        <translation>¿Salir de la consola?</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) are live on this console (%1 ringing, %2 critical).</source>
        <translation>
            <numerusform>%n llamada en curso en esta consola (%1 sonando, %2 críticas).</numerusform>
            <numerusform>%n llamadas en curso en esta consola (%1 sonando, %2 críticas).</numerusform>
        </translation>
    </message>
    <message>
        <source>Quitting ends every live call: each caller is told that the console shut down, and the calls are recorded as ended by a shutdown.</source>
        <translation>Salir termina todas las llamadas en curso: a cada llamante se le avisa de que la consola se ha apagado y las llamadas quedan registradas como terminadas por un apagado.</translation>
    </message>
    <message>
        <source>&amp;Quit and end the calls</source>
        <translation>&amp;Salir y terminar las llamadas</translation>
    </message>
    <message>
        <source>&amp;Keep working</source>
        <translation>&amp;Seguir trabajando</translation>
    </message>
    <message>
        <source>Host link alarm</source>
        <translation>Alarma del enlace con el anfitrión</translation>
    </message>
    <message>
        <source>Switch between &amp;queue and recent calls</source>
        <translation>Cambiar entre la &amp;cola y las llamadas recientes</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;Follow up abandoned call...</source>
        <translation>Se&amp;guimiento de llamada abandonada...</translation>
    </message>
    <message>
        <source>Audio device alarm</source>
        <translation>Alarma de dispositivo de audio</translation>
    </message>
    <message>
        <source>DEMO: simulated callers. Press F2 to answer the next call, F1 for every key.</source>
        <translation>DEMO: llamantes simulados. Pulse F2 para contestar la siguiente llamada, F1 para ver todas las teclas.</translation>
    </message>
</context>
<context>
    <name>dispatch::MapView</name>
    <message>
        <source>Caller map</source>
        <translation>Mapa de llamantes</translation>
    </message>
    <message>
        <source>Offline basemap (Natural Earth). Dashed: location not yet verified.</source>
        <translation>Mapa base sin conexión (Natural Earth). Discontinuo: ubicación aún no verificada.</translation>
    </message>
    <message>
        <source>Dashed: location not yet verified.</source>
        <translation>Discontinuo: ubicación aún no verificada.</translation>
    </message>
    <message>
        <source>%1 (call back)</source>
        <translation>%1 (rellamar)</translation>
    </message>
    <message>
        <source>%1 (unverified)</source>
        <translation>%1 (sin verificar)</translation>
    </message>
</context>
<context>
    <name>dispatch::OverrideDialog</name>
    <message>
        <source>Override triage</source>
        <translation>Corregir el triaje</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Response type</source>
        <translation>Tipo de respuesta</translation>
    </message>
    <message>
        <source>Why (optional)</source>
        <translation>Motivo (opcional)</translation>
    </message>
    <message>
        <source>&amp;Severity (1-5):</source>
        <translation>&amp;Gravedad (1-5):</translation>
    </message>
    <message>
        <source>&amp;Response:</source>
        <translation>&amp;Respuesta:</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Nota:</translation>
    </message>
    <message>
        <source>&amp;Critical (life-threatening)</source>
        <translation>&amp;Crítica (riesgo vital)</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Crítica</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>S&amp;ummary:</source>
        <translation>Res&amp;umen:</translation>
    </message>
</context>
<context>
    <name>dispatch::PlaybackWorker</name>
    <message>
        <source>no audio output device</source>
        <translation>sin dispositivo de salida de audio</translation>
    </message>
    <message>
        <source>cannot open %1</source>
        <translation>no se puede abrir %1</translation>
    </message>
</context>
<context>
    <name>dispatch::QrCodeView</name>
    <message>
        <source>QR code of the phone page</source>
        <translation>Código QR de la página del teléfono</translation>
    </message>
    <message>
        <source>No address to show</source>
        <translation>No hay dirección que mostrar</translation>
    </message>
</context>
<context>
    <name>dispatch::RecallPlayer</name>
    <message>
        <source>The audio output failed (error %1): playing silently.</source>
        <translation>La salida de audio falló (error %1): reproducción en silencio.</translation>
    </message>
    <message>
        <source>%1 cannot play 16-bit mono at %2 Hz: playing silently.</source>
        <translation>%1 no puede reproducir 16 bits mono a %2 Hz: reproducción en silencio.</translation>
    </message>
    <message>
        <source>No audio output device: playing silently.</source>
        <translation>No hay dispositivo de salida de audio: reproducción en silencio.</translation>
    </message>
</context>
<context>
    <name>dispatch::RecallSource</name>
    <message>
        <source>Cannot open the %1 recording %2: %3</source>
        <translation>No se puede abrir la grabación %1 %2: %3</translation>
    </message>
    <message>
        <source>The %1 recording %2 is not a mono 16-bit WAV file.</source>
        <translation>La grabación %1 %2 no es un archivo WAV mono de 16 bits.</translation>
    </message>
    <message>
        <source>The %1 recording is at %2 Hz, not %3 Hz: it is not played.</source>
        <translation>La grabación %1 está a %2 Hz, no a %3 Hz: no se reproduce.</translation>
    </message>
</context>
<context>
    <name>dispatch::RecallView</name>
    <message>
        <source>&amp;Export...</source>
        <translation>&amp;Exportar...</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>Reproducir / pausa (Espacio)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <source>Caller and dispatcher</source>
        <translation>Llamante y operador</translation>
    </message>
    <message>
        <source>Caller only</source>
        <translation>Solo el llamante</translation>
    </message>
    <message>
        <source>Dispatcher talk-back only</source>
        <translation>Solo la voz del operador</translation>
    </message>
    <message>
        <source>Tracks to play</source>
        <translation>Pistas a reproducir</translation>
    </message>
    <message>
        <source>Export as a NENA EIDO incident with the audio (Ctrl+E)</source>
        <translation>Exportar como incidente NENA EIDO con el audio (Ctrl+E)</translation>
    </message>
    <message>
        <source>Recorded transcript</source>
        <translation>Transcripción grabada</translation>
    </message>
    <message>
        <source>Click a line to play from there</source>
        <translation>Haga clic en una línea para reproducir desde ahí</translation>
    </message>
    <message>
        <source>At</source>
        <translation>En</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Triage history</source>
        <translation>Historial de triaje</translation>
    </message>
    <message>
        <source>Camera frame at the playback position</source>
        <translation>Imagen de la cámara en la posición de reproducción</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Open a call from the list (Enter) to play it back.</source>
        <translation>Abra una llamada de la lista (Intro) para reproducirla.</translation>
    </message>
    <message>
        <source>(no camera frame)</source>
        <translation>(sin imagen de cámara)</translation>
    </message>
    <message>
        <source>This call has no dispatcher talk-back.</source>
        <translation>Esta llamada no tiene voz del operador.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Call %1&lt;/b&gt; rang %2</source>
        <translation>&lt;b&gt;Llamada %1&lt;/b&gt; sonó %2</translation>
    </message>
    <message>
        <source>Answered %1 by %2 (after %3)</source>
        <translation>Atendida %1 por %2 (tras %3)</translation>
    </message>
    <message>
        <source>Never answered</source>
        <translation>Nunca atendida</translation>
    </message>
    <message>
        <source>Ended %1: %2, length %3</source>
        <translation>Finalizada %1: %2, duración %3</translation>
    </message>
    <message>
        <source>Interrupted: the console stopped during this call, the record may be incomplete.</source>
        <translation>Interrumpida: la consola se detuvo durante esta llamada, el registro puede estar incompleto.</translation>
    </message>
    <message>
        <source>Dispatcher override</source>
        <translation>Corrección del operador</translation>
    </message>
    <message>
        <source>AI (%1)</source>
        <translation>IA (%1)</translation>
    </message>
    <message>
        <source>replaced AI: severity %1, %2</source>
        <translation>sustituyó a la IA: gravedad %1, %2</translation>
    </message>
    <message>
        <source>Dispatcher override: severity %1, %2</source>
        <translation>Corrección del operador: gravedad %1, %2</translation>
    </message>
    <message>
        <source>AI triage: severity %1, %2</source>
        <translation>Triaje de IA: gravedad %1, %2</translation>
    </message>
    <message>
        <source>(frame unreadable)</source>
        <translation>(imagen ilegible)</translation>
    </message>
    <message>
        <source>Disposition: %1</source>
        <translation>Resolución: %1</translation>
    </message>
    <message>
        <source>Dispatcher&apos;s note: %1</source>
        <translation>Nota del operador: %1</translation>
    </message>
    <message>
        <source>Follow-up: %1, %2 by %3</source>
        <translation>Seguimiento: %1, %2 por %3</translation>
    </message>
    <message>
        <source>Follow-up: %1</source>
        <translation>Seguimiento: %1</translation>
    </message>
    <message>
        <source>Said while it rang (assessed after the end): severity %1, %2. %3</source>
        <translation>Dicho mientras sonaba (evaluado tras el final): gravedad %1, %2. %3</translation>
    </message>
    <message>
        <source>Last location %1</source>
        <translation>Última ubicación %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>while ringing  %1: %2</source>
        <translation>mientras sonaba  %1: %2</translation>
    </message>
    <message>
        <source>Recognized from the ring-time audio after the call ended</source>
        <translation>Reconocido del audio de mientras sonaba, después de terminar la llamada</translation>
    </message>
</context>
<context>
    <name>dispatch::SettingsDialog</name>
    <message>
        <source>Browse...</source>
        <translation>Examinar...</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Predeterminado del sistema</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>A key is stored (type to replace it)</source>
        <translation>Hay una clave guardada (escriba para sustituirla)</translation>
    </message>
    <message>
        <source>No key: calls are triaged offline</source>
        <translation>Sin clave: el triaje de las llamadas se hace sin conexión</translation>
    </message>
    <message>
        <source>Gemini API key</source>
        <translation>Clave de API de Gemini</translation>
    </message>
    <message>
        <source>Stored only in %1, readable by you alone; never shown or logged.</source>
        <translation>Se guarda solo en %1, legible solo por usted; nunca se muestra ni se registra.</translation>
    </message>
    <message>
        <source>Remove stored key</source>
        <translation>Eliminar la clave guardada</translation>
    </message>
    <message>
        <source>The key will be removed</source>
        <translation>La clave se eliminará</translation>
    </message>
    <message>
        <source>Empty: offline basemap</source>
        <translation>Vacío: mapa base sin conexión</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Dark (night shift)</source>
        <translation>Oscuro (turno de noche)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Gemini API &amp;key:</source>
        <translation>&amp;Clave de API de Gemini:</translation>
    </message>
    <message>
        <source>Gemini &amp;model:</source>
        <translation>&amp;Modelo de Gemini:</translation>
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation>&amp;Escuchar en:</translation>
    </message>
    <message>
        <source>TLS &amp;certificate:</source>
        <translation>C&amp;ertificado TLS:</translation>
    </message>
    <message>
        <source>Certificate (PEM)</source>
        <translation>Certificado (PEM)</translation>
    </message>
    <message>
        <source>TLS private ke&amp;y:</source>
        <translation>Clave &amp;privada TLS:</translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation>Clave privada (PEM)</translation>
    </message>
    <message>
        <source>Map &amp;tile server:</source>
        <translation>Servidor de &amp;teselas del mapa:</translation>
    </message>
    <message>
        <source>&amp;Speaker:</source>
        <translation>&amp;Altavoz:</translation>
    </message>
    <message>
        <source>M&amp;icrophone:</source>
        <translation>M&amp;icrófono:</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>&amp;Tema:</translation>
    </message>
    <message>
        <source>The key, model, listen address, certificate, map tiles and language take effect the next time the console starts.</source>
        <translation>La clave, el modelo, la dirección de escucha, el certificado, las teselas del mapa y el idioma se aplican la próxima vez que se inicie la consola.</translation>
    </message>
    <message>
        <source>Manage &amp;tokens...</source>
        <translation>Gestionar &amp;tokens...</translation>
    </message>
    <message>
        <source>Issue and revoke the tokens of remote consoles and supervisors</source>
        <translation>Emitir y revocar los tokens de las consolas remotas y los supervisores</translation>
    </message>
    <message>
        <source>Remote consoles:</source>
        <translation>Consolas remotas:</translation>
    </message>
    <message>
        <source>Default: %1 (a comma-separated list is tried in order)</source>
        <translation>Predeterminado: %1 (una lista separada por comas se prueba en orden)</translation>
    </message>
    <message>
        <source>GeoJSON file; applies at the next start</source>
        <translation>Archivo GeoJSON; se aplica en el próximo arranque</translation>
    </message>
    <message>
        <source>Site &amp;address points:</source>
        <translation>Puntos de &amp;dirección del sitio:</translation>
    </message>
</context>
<context>
    <name>dispatch::ShortcutLegend</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Tecla</translation>
    </message>
    <message>
        <source>Esc or F1 closes this window.</source>
        <translation>Esc o F1 cierra esta ventana.</translation>
    </message>
</context>
<context>
    <name>dispatch::TimelineBar</name>
    <message>
        <source>Call timeline</source>
        <translation>Línea de tiempo de la llamada</translation>
    </message>
</context>
<context>
    <name>dispatch::TokensDialog</name>
    <message>
        <source>Remote consoles and tokens</source>
        <translation>Consolas remotas y tokens</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Emitido</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Caduca</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Issued tokens</source>
        <translation>Tokens emitidos</translation>
    </message>
    <message>
        <source>e.g. ana.garcia</source>
        <translation>p. ej. ana.garcia</translation>
    </message>
    <message>
        <source>Name of the person</source>
        <translation>Nombre de la persona</translation>
    </message>
    <message>
        <source>Dispatcher</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Supervisor (watches; acts only after taking a call over)</source>
        <translation>Supervisor (observa; solo actúa tras hacerse cargo de una llamada)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <source>&amp;Issue token</source>
        <translation>&amp;Emitir token</translation>
    </message>
    <message>
        <source>&amp;Revoke selected</source>
        <translation>&amp;Revocar el seleccionado</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>Token nuevo</translation>
    </message>
    <message>
        <source>Command for the remote console</source>
        <translation>Orden para la consola remota</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>R&amp;ol:</translation>
    </message>
    <message>
        <source>E&amp;xpires after:</source>
        <translation>Ca&amp;duca tras:</translation>
    </message>
    <message>
        <source>New &amp;token (shown once):</source>
        <translation>&amp;Token nuevo (se muestra una vez):</translation>
    </message>
    <message>
        <source>On the remote &amp;console run:</source>
        <translation>En la &amp;consola remota ejecute:</translation>
    </message>
    <message>
        <source>Revoke token</source>
        <translation>Revocar token</translation>
    </message>
    <message>
        <source>Revoke the token of %1? Their consoles are disconnected at once.</source>
        <translation>¿Revocar el token de %1? Sus consolas se desconectan de inmediato.</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>revocado</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>caducado</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>dispatcher</source>
        <translation>operador</translation>
    </message>
    <message>
        <source>A name is 1-64 letters, digits or . _ @ -</source>
        <translation>Un nombre tiene de 1 a 64 letras, dígitos o . _ @ -</translation>
    </message>
    <message>
        <source>Token for %1 issued. Give it to them now: it is stored only as a hash and cannot be shown again.</source>
        <translation>Token para %1 emitido. Entrégueselo ahora: solo se guarda como hash y no se puede volver a mostrar.</translation>
    </message>
    <message>
        <source>Token of %1 revoked.</source>
        <translation>Token de %1 revocado.</translation>
    </message>
</context>
<context>
    <name>dispatch::TranscriptModel</name>
    <message>
        <source>Caller</source>
        <translation>Llamante</translation>
    </message>
    <message>
        <source>Caller (typed)</source>
        <translation>Llamante (escrito)</translation>
    </message>
    <message>
        <source>Dispatcher</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>AI</source>
        <translation>IA</translation>
    </message>
</context>
<context>
    <name>dispatch::TransferPicker</name>
    <message>
        <source>Transfer call</source>
        <translation>Transferir llamada</translation>
    </message>
    <message>
        <source>Transfer call %1 to:</source>
        <translation>Transferir la llamada %1 a:</translation>
    </message>
    <message>
        <source>Type to filter</source>
        <translation>Escriba para filtrar</translation>
    </message>
    <message>
        <source>Filter dispatchers</source>
        <translation>Filtrar operadores</translation>
    </message>
    <message>
        <source>Dispatchers</source>
        <translation>Operadores</translation>
    </message>
    <message>
        <source>&amp;Transfer</source>
        <translation>&amp;Transferir</translation>
    </message>
    <message>
        <source>%1 (online)</source>
        <translation>%1 (conectado)</translation>
    </message>
    <message>
        <source>Connected now</source>
        <translation>Conectado ahora</translation>
    </message>
    <message>
        <source>Not connected now</source>
        <translation>No conectado ahora</translation>
    </message>
    <message>
        <source>No other dispatcher can take this call now.</source>
        <translation>Ningún otro operador puede atender esta llamada ahora.</translation>
    </message>
    <message>
        <source>No dispatcher matches &quot;%1&quot;.</source>
        <translation>Ningún operador coincide con «%1».</translation>
    </message>
</context>
<context>
    <name>dispatch::TriageCard</name>
    <message>
        <source>Medical</source>
        <translation>Sanitaria</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>Policía</translation>
    </message>
    <message>
        <source>Fire</source>
        <translation>Bomberos</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocida</translation>
    </message>
    <message>
        <source>calm</source>
        <translation>tranquilo</translation>
    </message>
    <message>
        <source>distressed</source>
        <translation>angustiado</translation>
    </message>
    <message>
        <source>panicked</source>
        <translation>en pánico</translation>
    </message>
    <message>
        <source>unresponsive</source>
        <translation>sin respuesta</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>AI (Gemini)</source>
        <translation>IA (Gemini)</translation>
    </message>
    <message>
        <source>Dispatcher</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>AI (local)</source>
        <translation>IA (local)</translation>
    </message>
    <message>
        <source>&amp;Override...</source>
        <translation>&amp;Corregir...</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Triage history</source>
        <translation>Historial del triaje</translation>
    </message>
    <message>
        <source>No assessment yet</source>
        <translation>Aún no hay valoración</translation>
    </message>
    <message>
        <source>Triage appears here as soon as there is evidence.</source>
        <translation>El triaje aparece aquí en cuanto hay indicios.</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>crítico</translation>
    </message>
    <message>
        <source>(no summary)</source>
        <translation>(sin resumen)</translation>
    </message>
    <message>
        <source>Keywords: %1
Caller: %2, %3
Source: %4</source>
        <translation>Palabras clave: %1
Llamante: %2, %3
Fuente: %4</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>can speak</source>
        <translation>puede hablar</translation>
    </message>
    <message>
        <source>CANNOT SPEAK</source>
        <translation>NO PUEDE HABLAR</translation>
    </message>
    <message>
        <source>%1  %2  severity %3, %4</source>
        <translation>%1  %2  gravedad %3, %4</translation>
    </message>
    <message numerus="yes">
        <source>  (%n report(s))</source>
        <translation>
            <numerusform>  (%n informe)</numerusform>
            <numerusform>  (%n informes)</numerusform>
        </translation>
    </message>
    <message>
        <source>Keywords only — listen to the caller</source>
        <translation>Solo palabras clave — escuche al llamante</translation>
    </message>
    <message>
        <source>Low confidence — listen to the caller</source>
        <translation>Poca fiabilidad — escuche al llamante</translation>
    </message>
    <message>
        <source>%1?</source>
        <translation>%1?</translation>
    </message>
    <message>
        <source>Severity %1 from keywords only: not confirmed</source>
        <translation>Gravedad %1 solo por palabras clave: sin confirmar</translation>
    </message>
    <message>
        <source>Severity %1</source>
        <translation>Gravedad %1</translation>
    </message>
    <message>
        <source>%1
(%2)</source>
        <translation>%1
(%2)</translation>
    </message>
    <message>
        <source>Unconfirmed lead: %1, severity %2%3. %4</source>
        <translation>Indicio sin confirmar: %1, gravedad %2%3. %4</translation>
    </message>
    <message>
        <source>, possibly critical</source>
        <translation>, posiblemente crítico</translation>
    </message>
    <message>
        <source>  (keywords only)</source>
        <translation>  (solo palabras clave)</translation>
    </message>
    <message>
        <source>  (low confidence)</source>
        <translation>  (poca fiabilidad)</translation>
    </message>
    <message>
        <source>speech not clearly recognized</source>
        <translation>voz no reconocida con claridad</translation>
    </message>
    <message>
        <source>keyword spotting only</source>
        <translation>solo detección de palabras clave</translation>
    </message>
    <message>
        <source>speech recognition failed</source>
        <translation>falló el reconocimiento de voz</translation>
    </message>
    <message>
        <source>Set severity, response type, critical and summary yourself (Ctrl+O)</source>
        <translation>Fije usted la gravedad, el tipo de respuesta, si es crítica y el resumen (Ctrl+O)</translation>
    </message>
    <message>
        <source>Dispatcher&apos;s note: %1</source>
        <translation>Nota del operador: %1</translation>
    </message>
</context>
<context>
    <name>dispatch::VitalsGraph</name>
    <message>
        <source>Heart rate graph</source>
        <translation>Gráfico de frecuencia cardiaca</translation>
    </message>
    <message>
        <source>Breathing graph</source>
        <translation>Gráfico de respiración</translation>
    </message>
    <message>
        <source>Heart rate (bpm)</source>
        <translation>Frecuencia cardiaca (lpm)</translation>
    </message>
    <message>
        <source>Breathing (/min)</source>
        <translation>Respiración (/min)</translation>
    </message>
    <message>
        <source>No readings</source>
        <translation>Sin lecturas</translation>
    </message>
    <message>
        <source>conf. %1%</source>
        <translation>conf. %1%</translation>
    </message>
    <message>
        <source>low confidence</source>
        <translation>baja confianza</translation>
    </message>
</context>
<context>
    <name>dispatch::WallTileDelegate</name>
    <message>
        <source>S%1</source>
        <translation>G%1</translation>
    </message>
    <message>
        <source>No triage yet</source>
        <translation>Aún sin triaje</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>CRÍTICO</translation>
    </message>
    <message>
        <source>CANNOT SPEAK</source>
        <translation>NO PUEDE HABLAR</translation>
    </message>
    <message>
        <source>CALLER LOST</source>
        <translation>LLAMANTE PERDIDO</translation>
    </message>
    <message>
        <source>waiting for a dispatcher</source>
        <translation>esperando a un operador</translation>
    </message>
    <message>
        <source>handled by %1</source>
        <translation>atendida por %1</translation>
    </message>
    <message>
        <source>%1 · no location yet</source>
        <translation>%1 · aún sin ubicación</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>CALL BACK · waiting %1</source>
        <translation>RELLAMAR · esperando %1</translation>
    </message>
</context>
<context>
    <name>dispatch::caller</name>
    <message>
        <source>A command-line phone for dispatch-console: places calls over the phone protocol, streams a WAV as the caller&apos;s voice, sends location, vitals, camera frames and text, and reports what the console answered.</source>
        <translation>Un teléfono de línea de órdenes para dispatch-console: realiza llamadas con el protocolo de teléfonos, envía un WAV como voz del llamante, manda ubicación, constantes vitales, imágenes de cámara y texto, e informa de lo que respondió la consola.</translation>
    </message>
    <message>
        <source>Console address, e.g. https://192.168.1.20:8443.</source>
        <translation>Dirección de la consola, p. ej. https://192.168.1.20:8443.</translation>
    </message>
    <message>
        <source>Call id (default: a random UUID; with --count, ID-1...).</source>
        <translation>Id de la llamada (por defecto: un UUID aleatorio; con --count, ID-1...).</translation>
    </message>
    <message>
        <source>The caller&apos;s voice: a 16-bit PCM WAV (resampled to 16 kHz).</source>
        <translation>La voz del llamante: un WAV PCM de 16 bits (remuestreado a 16 kHz).</translation>
    </message>
    <message>
        <source>Send the WAV about 100 times faster than real time.</source>
        <translation>Enviar el WAV unas 100 veces más rápido que en tiempo real.</translation>
    </message>
    <message>
        <source>Position sent with the call, in degrees and metres.</source>
        <translation>Posición enviada con la llamada, en grados y metros.</translation>
    </message>
    <message>
        <source>Positions to send as the caller moves: JSON [{lat,lng,accuracy?,t?}].</source>
        <translation>Posiciones a enviar mientras el llamante se mueve: JSON [{lat,lng,accuracy?,t?}].</translation>
    </message>
    <message>
        <source>Walk away from --location, a position every 2 s.</source>
        <translation>Alejarse de --location, una posición cada 2 s.</translation>
    </message>
    <message>
        <source>Vitals to send: JSON [{hr?,hrConfidence?,breathing?,breathingConfidence?,t?}].</source>
        <translation>Constantes vitales a enviar: JSON [{hr?,hrConfidence?,breathing?,breathingConfidence?,t?}].</translation>
    </message>
    <message>
        <source>Send made-up vitals once a second.</source>
        <translation>Enviar constantes vitales inventadas cada segundo.</translation>
    </message>
    <message>
        <source>Camera frames: the images in DIR, one a second.</source>
        <translation>Imágenes de cámara: las imágenes de DIR, una por segundo.</translation>
    </message>
    <message>
        <source>Camera frame: this image once a second.</source>
        <translation>Imagen de cámara: esta imagen una vez por segundo.</translation>
    </message>
    <message>
        <source>A typed message for the dispatcher (caller_text).</source>
        <translation>Un mensaje escrito para el operador (caller_text).</translation>
    </message>
    <message>
        <source>Hang up this many seconds after the call starts (default: when the WAV, track, vitals and frames are done; without any, wait for the console to end the call).</source>
        <translation>Colgar estos segundos después de empezar la llamada (por defecto: al terminar el WAV, el recorrido, las constantes y las imágenes; sin ninguno, esperar a que la consola termine la llamada).</translation>
    </message>
    <message>
        <source>Fail (status 4) unless a dispatcher answers.</source>
        <translation>Fallar (estado 4) si ningún operador atiende.</translation>
    </message>
    <message>
        <source>Seconds to wait for the answer (default 30).</source>
        <translation>Segundos de espera de la respuesta (por defecto 30).</translation>
    </message>
    <message>
        <source>Seconds to wait for the connection (default 10).</source>
        <translation>Segundos de espera de la conexión (por defecto 10).</translation>
    </message>
    <message>
        <source>Place N calls at once.</source>
        <translation>Realizar N llamadas a la vez.</translation>
    </message>
    <message>
        <source>Milliseconds between the starts of the calls.</source>
        <translation>Milisegundos entre el inicio de cada llamada.</translation>
    </message>
    <message>
        <source>Accept any TLS certificate (testing only).</source>
        <translation>Aceptar cualquier certificado TLS (solo para pruebas).</translation>
    </message>
    <message>
        <source>Trust this certificate (PEM), e.g. the console&apos;s own.</source>
        <translation>Confiar en este certificado (PEM), p. ej. el de la propia consola.</translation>
    </message>
    <message>
        <source>Print events and summaries as JSON lines.</source>
        <translation>Mostrar eventos y resúmenes como líneas JSON.</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Argumento inesperado: %1</translation>
    </message>
    <message>
        <source>--server is required</source>
        <translation>--server es obligatorio</translation>
    </message>
    <message>
        <source>--server needs an http(s):// or ws(s):// URL with a host: %1</source>
        <translation>--server necesita una URL http(s):// o ws(s):// con un host: %1</translation>
    </message>
    <message>
        <source>--call-id must be 1-128 characters of [A-Za-z0-9._:-]</source>
        <translation>--call-id debe tener de 1 a 128 caracteres de [A-Za-z0-9._:-]</translation>
    </message>
    <message>
        <source>--location needs LAT,LNG or LAT,LNG,ACCURACY: %1</source>
        <translation>--location necesita LAT,LNG o LAT,LNG,PRECISIÓN: %1</translation>
    </message>
    <message>
        <source>--track and --move exclude each other</source>
        <translation>--track y --move se excluyen mutuamente</translation>
    </message>
    <message>
        <source>--move needs --location to start from</source>
        <translation>--move necesita --location como punto de partida</translation>
    </message>
    <message>
        <source>--vitals and --vitals-demo exclude each other</source>
        <translation>--vitals y --vitals-demo se excluyen mutuamente</translation>
    </message>
    <message>
        <source>--frames and --frame exclude each other</source>
        <translation>--frames y --frame se excluyen mutuamente</translation>
    </message>
    <message>
        <source>--text is limited to 2000 characters</source>
        <translation>--text está limitado a 2000 caracteres</translation>
    </message>
    <message>
        <source>--hangup-after needs seconds</source>
        <translation>--hangup-after necesita segundos</translation>
    </message>
    <message>
        <source>--answer-timeout needs seconds</source>
        <translation>--answer-timeout necesita segundos</translation>
    </message>
    <message>
        <source>--connect-timeout needs seconds</source>
        <translation>--connect-timeout necesita segundos</translation>
    </message>
    <message>
        <source>--count must be 1 to 1000</source>
        <translation>--count debe estar entre 1 y 1000</translation>
    </message>
    <message>
        <source>--stagger-ms must be 0 or more milliseconds</source>
        <translation>--stagger-ms debe ser 0 o más milisegundos</translation>
    </message>
    <message>
        <source>--call-id is too long to number the calls</source>
        <translation>--call-id es demasiado largo para numerar las llamadas</translation>
    </message>
    <message>
        <source>--insecure and --ca exclude each other</source>
        <translation>--insecure y --ca se excluyen mutuamente</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Emergency-call dispatcher console with an embedded server for caller phones.</source>
        <translation>Consola de despacho de llamadas de emergencia con un servidor integrado para los teléfonos de los llamantes.</translation>
    </message>
    <message>
        <source>Print the version.</source>
        <translation>Mostrar la versión.</translation>
    </message>
    <message>
        <source>Run the engine as a server, without a window.</source>
        <translation>Ejecutar el motor como servidor, sin ventana.</translation>
    </message>
    <message>
        <source>Address and port for phones and consoles.</source>
        <translation>Dirección y puerto para teléfonos y consolas.</translation>
    </message>
    <message>
        <source>Where recordings, the database and keys are kept.</source>
        <translation>Dónde se guardan las grabaciones, la base de datos y las claves.</translation>
    </message>
    <message>
        <source>Bearer token for remote consoles and admin endpoints (prefer the DISPATCH_DASHBOARD_TOKEN environment variable).</source>
        <translation>Token de portador para consolas remotas y puntos de administración (mejor la variable de entorno DISPATCH_DASHBOARD_TOKEN).</translation>
    </message>
    <message>
        <source>Answer every call on arrival (demos and tests).</source>
        <translation>Atender cada llamada al llegar (demostraciones y pruebas).</translation>
    </message>
    <message>
        <source>PEM certificate for HTTPS/WSS.</source>
        <translation>Certificado PEM para HTTPS/WSS.</translation>
    </message>
    <message>
        <source>PEM private key.</source>
        <translation>Clave privada PEM.</translation>
    </message>
    <message>
        <source>Serve TLS even on loopback (a certificate is generated in the data dir when none is given).</source>
        <translation>Servir TLS también en loopback (se genera un certificado en el directorio de datos si no se indica ninguno).</translation>
    </message>
    <message>
        <source>Allow plain ws:// on a non-loopback address (unsafe).</source>
        <translation>Permitir ws:// sin cifrar en una dirección que no es loopback (inseguro).</translation>
    </message>
    <message>
        <source>Extra browser origin allowed to connect.</source>
        <translation>Origen de navegador adicional autorizado a conectarse.</translation>
    </message>
    <message>
        <source>dark or light.</source>
        <translation>dark (oscuro) o light (claro).</translation>
    </message>
    <message>
        <source>Render the main window to a PNG file and exit.</source>
        <translation>Guardar la ventana principal en un archivo PNG y salir.</translation>
    </message>
    <message>
        <source>Seconds to wait before --screenshot.</source>
        <translation>Segundos de espera antes de --screenshot.</translation>
    </message>
    <message>
        <source>Street map tile server, e.g. https://tiles.example/{z}/{x}/{y}.png (default: the offline basemap).</source>
        <translation>Servidor de teselas de callejero, p. ej. https://tiles.example/{z}/{x}/{y}.png (por defecto: el mapa base sin conexión).</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Argumento inesperado: %1</translation>
    </message>
    <message>
        <source>Invalid --listen address: %1</source>
        <translation>Dirección --listen no válida: %1</translation>
    </message>
    <message>
        <source>--tls-cert and --tls-key go together</source>
        <translation>--tls-cert y --tls-key van juntos</translation>
    </message>
    <message>
        <source>--theme is dark or light</source>
        <translation>--theme es dark o light</translation>
    </message>
    <message>
        <source>--after takes seconds (0-3600)</source>
        <translation>--after admite segundos (0-3600)</translation>
    </message>
    <message>
        <source>Try --help.</source>
        <translation>Pruebe --help.</translation>
    </message>
    <message>
        <source>Cannot create data dir %1</source>
        <translation>No se puede crear el directorio de datos %1</translation>
    </message>
    <message>
        <source>Cannot load the triage rules: %1</source>
        <translation>No se pueden cargar las reglas de triaje: %1</translation>
    </message>
    <message>
        <source>Cannot start the server: %1</source>
        <translation>No se puede iniciar el servidor: %1</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>No se puede escribir %1</translation>
    </message>
    <message>
        <source>User interface language: en or es (default: the system&apos;s).</source>
        <translation>Idioma de la interfaz: en o es (por defecto: el del sistema).</translation>
    </message>
    <message>
        <source>Delete calls and recordings older than this (0 keeps all).</source>
        <translation>Borrar llamadas y grabaciones más antiguas (0 conserva todo).</translation>
    </message>
    <message>
        <source>Raise the storage alarm below this much free disk.</source>
        <translation>Activar la alarma de almacenamiento por debajo de este espacio libre.</translation>
    </message>
    <message>
        <source>audit trail intact: %1 entries, head %2</source>
        <translation>registro de auditoría íntegro: %1 entradas, cabeza %2</translation>
    </message>
    <message>
        <source>audit trail BROKEN at entry %1: %2 (%3 entries before it verify)</source>
        <translation>registro de auditoría ROTO en la entrada %1: %2 (%3 entradas anteriores verifican)</translation>
    </message>
    <message>
        <source>cannot read the audit trail: %1</source>
        <translation>no se puede leer el registro de auditoría: %1</translation>
    </message>
    <message>
        <source>WARNING: storage unavailable, calls will NOT be recorded: %1</source>
        <translation>AVISO: almacenamiento no disponible, las llamadas NO se grabarán: %1</translation>
    </message>
    <message>
        <source>Place simulated demo calls against this console.</source>
        <translation>Hacer llamadas de demostración simuladas contra esta consola.</translation>
    </message>
    <message>
        <source>Issue a dashboard token for NAME (needs --role), print it once and exit.</source>
        <translation>Emitir un token de panel para NOMBRE (requiere --role), mostrarlo una vez y salir.</translation>
    </message>
    <message>
        <source>Role of an issued token: dispatcher or supervisor.</source>
        <translation>Rol de un token emitido: dispatcher (operador) o supervisor.</translation>
    </message>
    <message>
        <source>An issued token expires after this many days.</source>
        <translation>Un token emitido caduca tras este número de días.</translation>
    </message>
    <message>
        <source>Revoke the dashboard token of NAME and exit.</source>
        <translation>Revocar el token de panel de NOMBRE y salir.</translation>
    </message>
    <message>
        <source>List the issued dashboard tokens and exit.</source>
        <translation>Listar los tokens de panel emitidos y salir.</translation>
    </message>
    <message>
        <source>--issue-token, --revoke-token and --list-tokens are used one at a time</source>
        <translation>--issue-token, --revoke-token y --list-tokens se usan de uno en uno</translation>
    </message>
    <message>
        <source>--issue-token needs --role dispatcher or --role supervisor</source>
        <translation>--issue-token requiere --role dispatcher o --role supervisor</translation>
    </message>
    <message>
        <source>--demo: %1</source>
        <translation>--demo: %1</translation>
    </message>
    <message>
        <source>Cannot issue the token: %1</source>
        <translation>No se puede emitir el token: %1</translation>
    </message>
    <message>
        <source>Token for %1 (%2) issued; it is not shown again.</source>
        <translation>Token para %1 (%2) emitido; no se volverá a mostrar.</translation>
    </message>
    <message>
        <source>Cannot revoke the token: %1</source>
        <translation>No se puede revocar el token: %1</translation>
    </message>
    <message>
        <source>Token of %1 revoked.</source>
        <translation>Token de %1 revocado.</translation>
    </message>
    <message>
        <source>Show only the supervisor&apos;s call wall (big screen).</source>
        <translation>Mostrar solo el muro de llamadas del supervisor (pantalla grande).</translation>
    </message>
    <message>
        <source>--triage gemini without GEMINI_API_KEY: every call gets local triage</source>
        <translation>--triage gemini sin GEMINI_API_KEY: todas las llamadas reciben triaje local</translation>
    </message>
    <message>
        <source>AI triage: gemini, local or auto (Gemini when GEMINI_API_KEY is set).</source>
        <translation>Triaje por IA: gemini, local o auto (Gemini cuando GEMINI_API_KEY está definida).</translation>
    </message>
    <message>
        <source>Gemini Live base URL (scheme, host, port; also DISPATCH_GEMINI_ENDPOINT).</source>
        <translation>URL base de Gemini Live (esquema, host, puerto; también DISPATCH_GEMINI_ENDPOINT).</translation>
    </message>
    <message>
        <source>Gemini Live model for triage (default: the current stable one), or a comma-separated list tried in order when the service refuses a model.</source>
        <translation>Modelo de Gemini Live para el triaje (por defecto, el estable actual), o una lista separada por comas que se prueba en orden cuando el servicio rechaza un modelo.</translation>
    </message>
    <message>
        <source>Live Gemini sessions at once; other calls get local triage until a slot frees.</source>
        <translation>Sesiones de Gemini Live a la vez; las demás llamadas reciben triaje local hasta que quede un hueco.</translation>
    </message>
    <message>
        <source>Ask for TEXT and read JSON reports from it (only for models that still accept TEXT).</source>
        <translation>Pedir TEXT y leer de él informes JSON (solo para modelos que aún aceptan TEXT).</translation>
    </message>
    <message>
        <source>Invalid Gemini endpoint: %1 (expected wss://host[:port])</source>
        <translation>Punto de conexión de Gemini no válido: %1 (se espera wss://host[:puerto])</translation>
    </message>
    <message>
        <source>--triage is gemini, local or auto</source>
        <translation>--triage es gemini, local o auto</translation>
    </message>
    <message>
        <source>Run as a remote console of the host at URL (wss://host:port; needs --token).</source>
        <translation>Funcionar como consola remota del anfitrión en URL (wss://host:puerto; requiere --token).</translation>
    </message>
    <message>
        <source>Dashboard token issued by the host, for --connect (also DISPATCH_REMOTE_TOKEN, which keeps it out of the process list).</source>
        <translation>Token de panel emitido por el anfitrión, para --connect (también DISPATCH_REMOTE_TOKEN, que lo mantiene fuera de la lista de procesos).</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the host&apos;s certificate, as its status bar shows it: trusts that certificate only.</source>
        <translation>Huella SHA-256 del certificado del anfitrión, tal como la muestra su barra de estado: solo se confía en ese certificado.</translation>
    </message>
    <message>
        <source>Invalid --connect URL: %1 (expected wss://host:port)</source>
        <translation>URL de --connect no válida: %1 (se espera wss://host:puerto)</translation>
    </message>
    <message>
        <source>--connect needs the token the host issued (--token or DISPATCH_REMOTE_TOKEN)</source>
        <translation>--connect requiere el token que emitió el anfitrión (--token o DISPATCH_REMOTE_TOKEN)</translation>
    </message>
    <message>
        <source>--connect with ws:// would send the token in clear off this machine: use wss:// (or --allow-plaintext)</source>
        <translation>--connect con ws:// enviaría el token sin cifrar fuera de esta máquina: use wss:// (o --allow-plaintext)</translation>
    </message>
    <message>
        <source>--connect runs the console&apos;s UI; it cannot be --headless</source>
        <translation>--connect ejecuta la interfaz de la consola; no puede ser --headless</translation>
    </message>
    <message>
        <source>WebSocket connections allowed from one IP address (a phone uses three; raise it for callers behind one NAT, or for load tests).</source>
        <translation>Conexiones WebSocket permitidas desde una misma dirección IP (un teléfono usa tres; auméntelo para llamantes tras un mismo NAT o para pruebas de carga).</translation>
    </message>
    <message>
        <source>Unanswered calls one IP address may have at once (0: no cap; raise it for many callers behind one carrier NAT).</source>
        <translation>Llamadas sin atender que una dirección IP puede tener a la vez (0: sin límite; súbalo si muchos llamantes comparten un NAT del operador).</translation>
    </message>
    <message>
        <source>New calls one IP address may start a minute (0: no cap).</source>
        <translation>Llamadas nuevas que una dirección IP puede iniciar por minuto (0: sin límite).</translation>
    </message>
    <message>
        <source>Caller audio accepted per call, as a multiple of real time (0: no limit, for load tests).</source>
        <translation>Audio del llamante aceptado por llamada, como múltiplo del tiempo real (0: sin límite, para pruebas de carga).</translation>
    </message>
    <message>
        <source>Let the phone page take its test options from its URL (autostart, lat/lng, text, camera): for automated tests only, never in service.</source>
        <translation>Permite que la página del teléfono tome sus opciones de prueba de la URL (autostart, lat/lng, texto, cámara): solo para pruebas automáticas, nunca en servicio.</translation>
    </message>
    <message>
        <source>--gemini-endpoint %1 would send the API key in clear off this machine: use wss:// (ws:// is for loopback only)</source>
        <translation>--gemini-endpoint %1 enviaría la clave de la API en claro fuera de esta máquina: use wss:// (ws:// solo para loopback)</translation>
    </message>
    <message>
        <source>Check the audit trail in the data dir against its key and anchor, and the sealed calls&apos; recordings, transcripts and triage, then exit (0 intact; 1 broken, truncated, rewritten, emptied, unanchored or modified; 2 cannot be read).</source>
        <translation>Comprobar el registro de auditoría del directorio de datos con su clave y su ancla, y las grabaciones, transcripciones y triajes de las llamadas selladas, y salir (0 íntegro; 1 roto, truncado, reescrito, vaciado, sin ancla o modificado; 2 ilegible).</translation>
    </message>
    <message>
        <source>HMAC key of the audit trail, kept outside the data dir (created 0600 on first start); its anchor is kept beside it. Default: %1</source>
        <translation>Clave HMAC del registro de auditoría, guardada fuera del directorio de datos (creada con modo 0600 en el primer arranque); su ancla se guarda a su lado. Por defecto: %1</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>aviso: %1</translation>
    </message>
    <message>
        <source>sealed calls intact: %1 checked, %2 deleted by retention</source>
        <translation>llamadas selladas íntegras: %1 comprobadas, %2 borradas por retención</translation>
    </message>
    <message>
        <source>audit trail TRUNCATED: %1</source>
        <translation>registro de auditoría TRUNCADO: %1</translation>
    </message>
    <message>
        <source>audit trail REWRITTEN: %1</source>
        <translation>registro de auditoría REESCRITO: %1</translation>
    </message>
    <message>
        <source>audit trail EMPTIED: %1</source>
        <translation>registro de auditoría VACIADO: %1</translation>
    </message>
    <message>
        <source>audit trail NOT ANCHORED: %1</source>
        <translation>registro de auditoría SIN ANCLA: %1</translation>
    </message>
    <message>
        <source>audit trail intact, but call records MODIFIED: %1</source>
        <translation>registro de auditoría íntegro, pero registros de llamadas MODIFICADOS: %1</translation>
    </message>
    <message>
        <source>--max-caller-audio-rate takes 0-1000</source>
        <translation>--max-caller-audio-rate admite 0-1000</translation>
    </message>
    <message>
        <source>--local-shadows takes auto or 0-10000</source>
        <translation>--local-shadows admite auto o 0-10000</translation>
    </message>
    <message>
        <source>The site&apos;s address points, a GeoJSON FeatureCollection with NENA field names, for the address of a caller&apos;s location (docs/ADDRESS-POINTS.md).</source>
        <translation>Los puntos de dirección del sitio, una FeatureCollection GeoJSON con los nombres de campo de NENA, para la dirección de la ubicación de un llamante (docs/ADDRESS-POINTS.md).</translation>
    </message>
    <message>
        <source>WARNING: no site addresses: %1</source>
        <translation>AVISO: sin direcciones del sitio: %1</translation>
    </message>
    <message>
        <source>Gemini Live service: developer (Gemini API, GEMINI_API_KEY) or vertex (Vertex AI, a service account).</source>
        <translation>Servicio Gemini Live: developer (Gemini API, GEMINI_API_KEY) o vertex (Vertex AI, una cuenta de servicio).</translation>
    </message>
    <message>
        <source>Vertex AI service-account key file (JSON, readable by its owner only; also GOOGLE_APPLICATION_CREDENTIALS).</source>
        <translation>Archivo de clave de la cuenta de servicio de Vertex AI (JSON, legible solo por su propietario; también GOOGLE_APPLICATION_CREDENTIALS).</translation>
    </message>
    <message>
        <source>Vertex AI project (default: the project of the service account).</source>
        <translation>Proyecto de Vertex AI (por defecto: el de la cuenta de servicio).</translation>
    </message>
    <message>
        <source>Vertex AI location (region).</source>
        <translation>Ubicación (región) de Vertex AI.</translation>
    </message>
    <message>
        <source>--gemini-backend is developer or vertex</source>
        <translation>--gemini-backend es developer o vertex</translation>
    </message>
    <message>
        <source>Invalid --vertex-location: %1</source>
        <translation>--vertex-location no válido: %1</translation>
    </message>
    <message>
        <source>--gemini-backend vertex needs --vertex-credentials FILE (or GOOGLE_APPLICATION_CREDENTIALS)</source>
        <translation>--gemini-backend vertex necesita --vertex-credentials ARCHIVO (o GOOGLE_APPLICATION_CREDENTIALS)</translation>
    </message>
    <message>
        <source>Vertex AI credentials refused: %1</source>
        <translation>Credenciales de Vertex AI rechazadas: %1</translation>
    </message>
    <message>
        <source>Invalid or missing --vertex-project: %1</source>
        <translation>--vertex-project no válido o ausente: %1</translation>
    </message>
    <message>
        <source>Calls on Gemini whose offline engine runs beside it, ready for a failover: auto (as many as the CPU headroom allows, at most 4 per core) or a number, a cap within that headroom (0: none).</source>
        <translation>Llamadas en Gemini con el motor sin conexión funcionando a su lado, listo para un relevo: auto (tantas como permita la CPU libre, como máximo 4 por núcleo) o un número, un tope dentro de ese margen (0: ninguna).</translation>
    </message>
    <message>
        <source>Where calls are kept: sqlite (the file in the data dir) or postgresql://USER@HOST[:PORT][,HOST2[:PORT2]]/DB[?options]. The password comes from PGPASSWORD or --database-password-file, never from the URL.</source>
        <translation>Dónde se guardan las llamadas: sqlite (el archivo en el directorio de datos) o postgresql://USUARIO@HOST[:PUERTO][,HOST2[:PUERTO2]]/BD[?opciones]. La contraseña viene de PGPASSWORD o de --database-password-file, nunca de la URL.</translation>
    </message>
    <message>
        <source>File holding the PostgreSQL password (mode 0600).</source>
        <translation>Archivo con la contraseña de PostgreSQL (modo 0600).</translation>
    </message>
    <message>
        <source>Invalid --database: %1</source>
        <translation>--database no válido: %1</translation>
    </message>
    <message>
        <source>Without a window: epoll (the default: a wake-up costs what is ready, not what is open) or qt (Qt&apos;s own event dispatcher).</source>
        <translation>Sin ventana: epoll (por defecto: cada despertar cuesta lo que está listo, no lo que está abierto) o qt (el despachador de eventos propio de Qt).</translation>
    </message>
    <message>
        <source>--event-loop takes epoll or qt</source>
        <translation>--event-loop admite epoll o qt</translation>
    </message>
    <message>
        <source>This engine node&apos;s name on a shared PostgreSQL database: 1-63 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, one process per name (default: the host name).</source>
        <translation>Nombre de este nodo del motor en una base de datos PostgreSQL compartida: de 1 a 63 letras, dígitos, &apos;.&apos;, &apos;_&apos; o &apos;-&apos;, un proceso por nombre (por defecto: el nombre del equipo).</translation>
    </message>
    <message>
        <source>Where phones and consoles reach this node (ws, wss, http or https; repeat or separate with commas). Default: the listening address and port, with the host name for a wildcard address.</source>
        <translation>Dónde llegan a este nodo los teléfonos y las consolas (ws, wss, http o https; repita la opción o separe con comas). Predeterminado: la dirección y el puerto de escucha, con el nombre del equipo si la dirección es comodín.</translation>
    </message>
    <message>
        <source>Invalid --node-name: %1 (1-63 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;)</source>
        <translation>--node-name no válido: %1 (de 1 a 63 letras, dígitos, &apos;.&apos;, &apos;_&apos; o &apos;-&apos;)</translation>
    </message>
    <message>
        <source>Invalid --node-url: %1 (expected wss://host:port or https://host:port)</source>
        <translation>--node-url no válido: %1 (se esperaba wss://equipo:puerto o https://equipo:puerto)</translation>
    </message>
    <message>
        <source>--%1 takes %2-%3 (not %4)</source>
        <translation>--%1 admite %2-%3 (no %4)</translation>
    </message>
</context>
</TS>
