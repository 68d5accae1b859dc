"""Demo knowledge pages in Tajik, Russian and English (loaded by ``demo.load_articles``).

Written cautiously from the rules in force in 2025–2026; they are drafts for the ministry's
lawyers to check before the pages are published in production (docs/assistance.md).
"""

from __future__ import annotations

# slug, topic, order, {lang: (title, summary, body)}
ARTICLES: list[tuple[str, str, int, dict[str, tuple[str, str, str]]]] = [
    (
        "russia-work-patent",
        "work",
        1,
        {
            "en": (
                "Russia: apply for a work patent within 30 days of entry",
                "Without a patent you may not work; a late application means a fine.",
                """To work in Russia, a citizen of Tajikistan needs a patent. Apply to the migration centre of the region where you will work within 30 calendar days of entering Russia. In the migration card, the purpose of the visit must be "work".

- Take: your passport, the migration card, proof of migration registration, a certificate of Russian language, history and law, a medical certificate and a voluntary health insurance policy. Fingerprints and a photo are taken at the centre.
- A late application is fined (10,000–15,000 roubles) and you will be asked to leave if it is refused.
- Pay the monthly fixed advance (income tax) before the paid period ends. If you pay even one day late, the patent is cancelled and cannot be restored.
- Keep every receipt. The patent is valid only in the region that issued it.

Rules and fees change. Before you pay an intermediary, ask us for a consultation or call the helpline.""",
            ),
            "ru": (
                "Россия: оформите патент на работу в течение 30 дней после въезда",
                "Без патента работать нельзя; за опоздание с заявлением — штраф.",
                """Чтобы работать в России, гражданину Таджикистана нужен патент. Подайте заявление в миграционный центр региона, где будете работать, в течение 30 календарных дней после въезда. В миграционной карте цель визита должна быть «работа».

- Возьмите: паспорт, миграционную карту, уведомление о постановке на миграционный учёт, сертификат о знании русского языка, истории и основ законодательства, медицинские справки и полис добровольного медицинского страхования. Отпечатки пальцев и фото делают в центре.
- За опоздание с заявлением — штраф (10 000–15 000 рублей); при отказе вас попросят выехать.
- Платите ежемесячный фиксированный авансовый платёж (НДФЛ) до окончания оплаченного периода. Опоздание даже на один день — патент аннулируют, восстановить его нельзя.
- Храните все квитанции. Патент действует только в выдавшем его регионе.

Правила и суммы меняются. Прежде чем платить посреднику, попросите консультацию или позвоните на горячую линию.""",
            ),
            "tg": (
                "Русия: патенти кориро дар давоми 30 рӯзи пас аз воридшавӣ гиред",
                "Бе патент кор кардан мумкин нест; барои дер додани ариза ҷарима мешавад.",
                """Барои кор дар Русия ба шаҳрванди Тоҷикистон патент лозим аст. Дар давоми 30 рӯзи тақвимии пас аз ворид шудан ба Русия ба маркази муҳоҷирати минтақае, ки дар он кор мекунед, ариза диҳед. Дар корти муҳоҷиратӣ мақсади сафар бояд «кор» бошад.

- Гиред: шиноснома, корти муҳоҷиратӣ, огоҳинома дар бораи бақайдгирии муҳоҷиратӣ, сертификати донистани забони русӣ, таърих ва асосҳои қонунгузорӣ, маълумотномаҳои тиббӣ ва полиси суғуртаи ихтиёрии тиббӣ. Нақши ангуштон ва суратро дар марказ мегиранд.
- Барои дер додани ариза ҷарима (10 000–15 000 рубл) мешавад; агар рад кунанд, аз шумо баромада рафтанро талаб мекунанд.
- Пардохти собити пешакии ҳармоҳаро (андоз аз даромад) то тамом шудани мӯҳлати пардохтшуда супоред. Агар ҳатто як рӯз дер кунед, патент бекор мешавад ва барқарор намегардад.
- Ҳамаи квитансияҳоро нигоҳ доред. Патент танҳо дар минтақае, ки онро додааст, эътибор дорад.

Қоидаҳо ва маблағҳо тағйир меёбанд. Пеш аз он ки ба миёнарав пул диҳед, машварат пурсед ё ба хати боварӣ занг занед.""",
            ),
        },
    ),
    (
        "russia-migration-registration",
        "documents",
        1,
        {
            "en": (
                "Russia: migration registration within 7 working days",
                "Where you live must be registered; keep the tear-off slip.",
                """After you arrive in Russia, you must be registered at the address where you live (migration registration). The general rule is within 7 working days of arrival.

- The host — the owner of the flat, the hostel or your employer — sends the notification to the Ministry of Internal Affairs (MVD), at a post office or a multifunctional centre (MFC).
- You receive the tear-off part of the notification with a stamp. Keep it with your passport: police ask for it at checks.
- When you move, you must be registered again at the new address. When you get a patent or extend it, the registration is extended too — check the new date.
- Registration at an address where you do not live ("rubber flats") is an offence for you and for the host.

Living without registration is fined and can lead to expulsion and an entry ban. If a host refuses to register you, ask us for a consultation.""",
            ),
            "ru": (
                "Россия: миграционный учёт в течение 7 рабочих дней",
                "Место проживания нужно поставить на учёт; храните отрывную часть.",
                """После прибытия в Россию вас должны поставить на миграционный учёт по адресу, где вы живёте. Общее правило — в течение 7 рабочих дней со дня прибытия.

- Уведомление в МВД подаёт принимающая сторона — владелец квартиры, общежитие или работодатель — через почту или МФЦ.
- Вы получаете отрывную часть уведомления с отметкой. Храните её вместе с паспортом: её спрашивают при проверках.
- При переезде нужно встать на учёт заново по новому адресу. При получении или продлении патента учёт тоже продлевается — проверьте новую дату.
- Учёт по адресу, где вы не живёте («резиновые квартиры»), — нарушение и для вас, и для принимающей стороны.

За проживание без учёта — штраф, возможны выдворение и запрет въезда. Если принимающая сторона отказывается ставить вас на учёт, попросите консультацию.""",
            ),
            "tg": (
                "Русия: бақайдгирии муҳоҷиратӣ дар давоми 7 рӯзи корӣ",
                "Ҷои истиқомат бояд ба қайд гирифта шавад; қисми ҷудошавандаро нигоҳ доред.",
                """Пас аз расидан ба Русия шуморо бояд дар суроғае, ки зиндагӣ мекунед, ба қайди муҳоҷиратӣ гиранд. Қоидаи умумӣ — дар давоми 7 рӯзи корӣ аз рӯзи расидан.

- Огоҳиномаро ба ВКД (МВД) тарафи қабулкунанда — соҳиби хона, хобгоҳ ё корфармо — тавассути почта ё МФЦ мефиристад.
- Шумо қисми ҷудошавандаи огоҳиномаро бо мӯҳр мегиред. Онро ҳамроҳи шиноснома нигоҳ доред: ҳангоми санҷиш талаб мекунанд.
- Ҳангоми кӯчидан бояд дар суроғаи нав аз нав ба қайд гирифта шавед. Ҳангоми гирифтан ё дароз кардани патент бақайдгирӣ низ дароз мешавад — санаи навро санҷед.
- Бақайдгирӣ дар суроғае, ки дар он зиндагӣ намекунед («хонаҳои резинӣ»), ҳам барои шумо ва ҳам барои тарафи қабулкунанда қонуншиканӣ аст.

Барои зиндагӣ бе бақайдгирӣ ҷарима мешавад, инчунин бадарға ва манъи воридшавӣ мумкин аст. Агар тарафи қабулкунанда шуморо ба қайд гирифтан нахоҳад, машварат пурсед.""",
            ),
        },
    ),
    (
        "held-at-the-border",
        "legal",
        1,
        {
            "en": (
                "Held at the border or at an airport: what to do",
                "Stay calm, ask for the reason in writing, and tell us at once.",
                """Border officers may stop you at passport control or keep you in the transit zone while they check your documents. You have rights during this time.

- Stay calm and polite. Ask, in Russian or through an interpreter, why you are held and for the decision in writing.
- You have the right to contact the consulate of Tajikistan. Say so: "I ask to inform the Consulate of Tajikistan."
- Do not sign papers you do not understand. If you must sign, write "I do not understand the text" or "I do not agree" above your signature.
- Note the time you were stopped, the officers' names or badge numbers and what you were told.
- If entry is refused, ask for a copy of the notice of refusal: you need it to appeal and to check for an entry ban.

Tell us now: "Get help" → "Held at a border crossing", or call the helpline. A caseworker of the representation responsible for that crossing point will act.""",
            ),
            "ru": (
                "Задержали на границе или в аэропорту: что делать",
                "Сохраняйте спокойствие, просите причину письменно и сразу сообщите нам.",
                """Пограничники могут остановить вас на паспортном контроле или оставить в транзитной зоне, пока проверяют документы. У вас есть права и в это время.

- Сохраняйте спокойствие и вежливость. Спросите по-русски или через переводчика, почему вас задерживают, и попросите решение письменно.
- Вы имеете право связаться с консульством Таджикистана. Скажите: «Прошу сообщить в консульство Таджикистана».
- Не подписывайте бумаги, которые не понимаете. Если подписать нужно, напишите над подписью «Текст не понимаю» или «Не согласен».
- Запишите время задержания, фамилии или номера жетонов сотрудников и что вам сказали.
- Если во въезде отказали, попросите копию уведомления об отказе: она нужна для обжалования и проверки запрета въезда.

Сообщите нам сразу: «Получить помощь» → «Задержание на пункте пропуска», или позвоните на горячую линию. Сотрудник представительства, отвечающего за этот пункт, примет меры.""",
            ),
            "tg": (
                "Дар сарҳад ё фурудгоҳ боздошт шудед: чӣ бояд кард",
                "Ором бошед, сабабро хаттӣ талаб кунед ва фавран ба мо хабар диҳед.",
                """Кормандони сарҳадӣ метавонанд шуморо дар назорати шиноснома боздоранд ё то санҷиши ҳуҷҷатҳо дар минтақаи транзитӣ нигоҳ доранд. Дар ин вақт ҳам шумо ҳуқуқ доред.

- Ором ва боадаб бошед. Ба забони русӣ ё тавассути тарҷумон пурсед, ки чаро шуморо боздоштаанд, ва қарорро хаттӣ талаб кунед.
- Шумо ҳақ доред бо консулгарии Тоҷикистон тамос гиред. Гӯед: «Хоҳиш мекунам ба консулгарии Тоҷикистон хабар диҳед».
- Коғазҳоеро, ки намефаҳмед, имзо накунед. Агар имзо кардан лозим бошад, болои имзо нависед: «Матнро намефаҳмам» ё «Розӣ нестам».
- Вақти боздошт, насаб ё рақами нишони кормандон ва он чиро, ки ба шумо гуфтанд, нависед.
- Агар ба воридшавӣ иҷозат надиҳанд, нусхаи огоҳиномаи радро талаб кунед: он барои шикоят ва санҷиши манъи воридшавӣ лозим аст.

Фавран ба мо хабар диҳед: «Кумак гиред» → «Боздошт дар гузаргоҳи сарҳадӣ», ё ба хати боварӣ занг занед. Корманди намояндагие, ки барои ин гузаргоҳ масъул аст, чора меандешад.""",
            ),
        },
    ),
    (
        "entry-ban-check-and-appeal",
        "legal",
        2,
        {
            "en": (
                "Entry ban: check before you travel, and how to appeal",
                "A ban is often decided without you knowing. Check first; an appeal has deadlines.",
                """Russia and Kazakhstan may ban entry for several years, for example after overstaying, repeated administrative offences, unpaid fines or expulsion. Often the person learns of it only at the border.

- Check before you buy a ticket: use the official check of the Ministry of Internal Affairs of the country, and Hamroh's own pre-travel check on this portal ("Check yourself").
- Pay your fines before you leave the country and keep the receipts; unpaid fines are a common reason for a ban.
- If you are banned, ask for the decision in writing: which authority decided, on what grounds, and until when.
- A ban can be appealed to the authority that decided it or to a court. In Russia a court appeal is usually due within three months of the day you learned of the ban. Family ties in Russia (a Russian spouse or children) are taken into account.

Do not pay people who promise to "remove a ban" for money. Ask us for a consultation: we can refer you to a free legal clinic.""",
            ),
            "ru": (
                "Запрет въезда: проверьте до поездки и как обжаловать",
                "Запрет часто принимают без вашего ведома. Проверьте заранее; у обжалования есть сроки.",
                """Россия и Казахстан могут запретить въезд на несколько лет, например за превышение срока пребывания, повторные административные правонарушения, неоплаченные штрафы или выдворение. Часто человек узнаёт об этом только на границе.

- Проверьте до покупки билета: через официальную проверку МВД страны и через проверку Hamroh на этом портале («Проверить себя»).
- Оплатите штрафы до выезда из страны и храните квитанции; неоплаченные штрафы — частая причина запрета.
- Если запрет есть, попросите решение письменно: какой орган принял, на каком основании и до какого числа.
- Запрет можно обжаловать в органе, который его принял, или в суде. В России в суд обычно нужно обратиться в течение трёх месяцев со дня, когда вы узнали о запрете. Учитываются семейные связи в России (супруг или дети — граждане России).

Не платите тем, кто обещает «снять запрет» за деньги. Попросите консультацию: мы направим вас в бесплатную юридическую клинику.""",
            ),
            "tg": (
                "Манъи воридшавӣ: пеш аз сафар санҷед ва чӣ тавр шикоят кунед",
                "Манъро аксар вақт бе огоҳии шумо қабул мекунанд. Пешакӣ санҷед; шикоят мӯҳлат дорад.",
                """Русия ва Қазоқистон метавонанд воридшавиро ба муддати якчанд сол манъ кунанд, масалан барои зиёд мондан аз мӯҳлат, қонуншиканиҳои маъмурии такрорӣ, ҷаримаҳои пардохтнашуда ё бадарға. Аксар вақт шахс дар бораи ин танҳо дар сарҳад мефаҳмад.

- Пеш аз харидани чипта санҷед: тавассути санҷиши расмии ВКД-и кишвар ва санҷиши Hamroh дар ҳамин портал («Худро санҷед»).
- Ҷаримаҳоро пеш аз баромадан аз кишвар пардохт кунед ва квитансияҳоро нигоҳ доред; ҷаримаҳои пардохтнашуда сабаби маъмули манъ мебошанд.
- Агар манъ бошад, қарорро хаттӣ талаб кунед: кадом мақомот, бо кадом асос ва то кадом сана.
- Аз манъ метавон ба мақомоте, ки онро қабул кардааст, ё ба суд шикоят кард. Дар Русия ба суд одатан дар давоми се моҳ аз рӯзе, ки шумо дар бораи манъ фаҳмидед, муроҷиат мекунанд. Робитаҳои оилавӣ дар Русия (ҳамсар ё фарзандони шаҳрванди Русия) ба назар гирифта мешаванд.

Ба касоне, ки барои пул «манъро бардоштан»-ро ваъда медиҳанд, пул надиҳед. Машварат пурсед: мо шуморо ба клиникаи ройгони ҳуқуқӣ равона мекунем.""",
            ),
        },
    ),
    (
        "documents-taken-by-employer",
        "documents",
        2,
        {
            "en": (
                "The employer keeps your passport",
                "No employer may keep your passport. Ask for it back and tell us.",
                """An employer, a foreman or a recruiter has no right to keep your passport or migration documents, not even "for registration" or "until the debt is paid". In Russia taking someone's passport is a crime.

- Ask for the passport back, in front of witnesses or in writing (a message is enough). Keep copies or photos of your documents on your phone.
- If it is not returned, write a statement to the police and keep the copy with the registration number.
- If you cannot leave the workplace, are not paid, or are threatened, these are signs of forced labour or trafficking. Call the police (112) if you are in danger.
- If the passport is lost for good, the consulate of Tajikistan issues a certificate of return so you can travel home.

Tell us: "Get help" → "Documents seized or lost". You may stay anonymous; we can involve IOM and a lawyer.""",
            ),
            "ru": (
                "Работодатель держит ваш паспорт",
                "Никакой работодатель не вправе держать ваш паспорт. Потребуйте вернуть и сообщите нам.",
                """Работодатель, бригадир или вербовщик не имеет права держать у себя ваш паспорт или миграционные документы — ни «для регистрации», ни «пока не отработаешь долг». В России изъятие чужого паспорта — преступление.

- Потребуйте вернуть паспорт при свидетелях или письменно (достаточно сообщения). Храните копии или фото документов в телефоне.
- Если не возвращают, напишите заявление в полицию и сохраните копию с номером регистрации.
- Если вас не выпускают с места работы, не платят или угрожают — это признаки принудительного труда или торговли людьми. В опасности звоните в полицию (112).
- Если паспорт утерян окончательно, консульство Таджикистана выдаёт свидетельство на возвращение, чтобы вы могли вернуться домой.

Сообщите нам: «Получить помощь» → «Изъятие или утрата документов». Можно анонимно; мы можем привлечь МОМ и юриста.""",
            ),
            "tg": (
                "Корфармо шиносномаи шуморо нигоҳ медорад",
                "Ҳеҷ корфармо ҳақ надорад шиносномаи шуморо нигоҳ дорад. Баргардонданашро талаб кунед ва ба мо хабар диҳед.",
                """Корфармо, сарбригада ё ҷалбкунанда ҳақ надорад шиноснома ё ҳуҷҷатҳои муҳоҷиратии шуморо нигоҳ дорад — на «барои бақайдгирӣ», на «то қарзатро кор карда додан». Дар Русия гирифтани шиносномаи шахси дигар ҷиноят аст.

- Баргардонидани шиносномаро дар ҳузури шоҳидон ё хаттӣ (паём кифоя аст) талаб кунед. Нусха ё сурати ҳуҷҷатҳоро дар телефон нигоҳ доред.
- Агар барнагардонанд, ба полиция ариза нависед ва нусхаашро бо рақами бақайдгирӣ нигоҳ доред.
- Агар шуморо аз ҷои кор набароранд, музд надиҳанд ё таҳдид кунанд — ин аломатҳои меҳнати маҷбурӣ ё савдои одамон аст. Дар хатар ба полиция (112) занг занед.
- Агар шиноснома тамоман гум шуда бошад, консулгарии Тоҷикистон барои ба ватан баргаштан шаҳодатнома дар бораи бозгашт медиҳад.

Ба мо хабар диҳед: «Кумак гиред» → «Гирифтан ё гум шудани ҳуҷҷатҳо». Метавонед номаълум монед; мо метавонем СБМ ва ҳуқуқшиносро ҷалб кунем.""",
            ),
        },
    ),
    (
        "unpaid-wages",
        "work",
        2,
        {
            "en": (
                "Your wages are not paid",
                "Collect evidence, claim in writing, complain to the labour inspectorate or a court.",
                """If the employer does not pay, you can still claim your wages, even without a written contract: work you actually did with the employer's knowledge counts as employment under Russian labour law.

- Collect evidence: the contract or patent, the address of the site, photos, messages with the foreman, bank transfers, names and phones of colleagues who can confirm.
- Write a claim to the employer with the amount and the months owed; keep a copy with the date it was received.
- Complain to the State Labour Inspectorate (online or in person) and, if needed, go to court. Workers pay no court fee in labour cases; a claim for unpaid wages can be filed within one year of the date they were due.
- Do not leave the country before you have claimed: it is much harder from abroad.

Ask us for a consultation or report "Unpaid wages or labour dispute": we can refer you to a free legal clinic.""",
            ),
            "ru": (
                "Вам не платят зарплату",
                "Соберите доказательства, предъявите требование письменно, жалуйтесь в инспекцию труда или в суд.",
                """Если работодатель не платит, зарплату можно требовать даже без письменного договора: работа, фактически выполненная с ведома работодателя, по российскому трудовому праву считается трудовыми отношениями.

- Соберите доказательства: договор или патент, адрес объекта, фото, переписку с бригадиром, банковские переводы, имена и телефоны коллег, которые могут подтвердить.
- Напишите работодателю требование с суммой и месяцами задолженности; сохраните копию с отметкой о получении.
- Пожалуйтесь в Государственную инспекцию труда (онлайн или лично) и при необходимости обратитесь в суд. Работники не платят госпошлину по трудовым спорам; иск о невыплаченной зарплате можно подать в течение года со дня, когда её должны были выплатить.
- Не уезжайте из страны, пока не предъявили требование: из-за границы это намного труднее.

Попросите консультацию или сообщите «Невыплата зарплаты или трудовой спор»: мы направим вас в бесплатную юридическую клинику.""",
            ),
            "tg": (
                "Музди меҳнати шуморо намедиҳанд",
                "Далел ҷамъ кунед, хаттӣ талаб кунед, ба нозироти меҳнат ё суд шикоят кунед.",
                """Агар корфармо музд надиҳад, онро ҳатто бе шартномаи хаттӣ талаб кардан мумкин аст: коре, ки бо огоҳии корфармо воқеан иҷро шудааст, тибқи қонунгузории меҳнатии Русия муносибати меҳнатӣ ҳисоб мешавад.

- Далел ҷамъ кунед: шартнома ё патент, суроғаи объект, суратҳо, мукотиба бо сарбригада, интиқолҳои бонкӣ, ном ва телефони ҳамкороне, ки тасдиқ карда метавонанд.
- Ба корфармо талабнома нависед, ки дар он маблағ ва моҳҳои қарз нишон дода шудаанд; нусхаашро бо қайди қабул нигоҳ доред.
- Ба Нозироти давлатии меҳнат (онлайн ё шахсан) шикоят кунед ва дар ҳолати зарурӣ ба суд муроҷиат намоед. Коргарон дар баҳсҳои меҳнатӣ боҷи давлатӣ намесупоранд; даъво дар бораи музди пардохтнашуда дар давоми як сол аз рӯзи бояд пардохт шуданаш пешниҳод мешавад.
- То талаб накардаед, аз кишвар наравед: аз хориҷа ин хеле душвортар аст.

Машварат пурсед ё «Музди пардохтнашуда ё баҳси меҳнатӣ»-ро хабар диҳед: мо шуморо ба клиникаи ройгони ҳуқуқӣ равона мекунем.""",
            ),
        },
    ),
    (
        "returning-home",
        "return",
        1,
        {
            "en": (
                "Returning home: before you leave and after you arrive",
                "Settle fines and wages before you go; at home, support is available.",
                """A planned return protects your right to go abroad again and helps you start at home.

- Before you leave: get your wages and your documents back, ask the employer for a record of your work, pay every fine (an unpaid fine can become an entry ban) and leave before your permitted stay ends.
- If you were expelled or deported, ask for the decision in writing and check how long the entry ban lasts before planning to go back.
- At home: the Agency for the Employment of Labour Migrants and the employment centres of the Ministry of Labour, Migration and Employment offer vacancies, vocational training and recognition of skills learned abroad.
- Returnees in a difficult situation (illness, injury, victims of trafficking) can be referred to IOM reintegration support.

Ask us for a consultation about your return, or call the helpline.""",
            ),
            "ru": (
                "Возвращение домой: до отъезда и после приезда",
                "Закройте штрафы и зарплату до отъезда; дома есть поддержка.",
                """Спланированное возвращение сохраняет ваше право снова выехать на работу и помогает начать дома.

- До отъезда: получите зарплату и свои документы, попросите у работодателя подтверждение вашего стажа, оплатите все штрафы (неоплаченный штраф может стать запретом въезда) и выезжайте до окончания разрешённого срока пребывания.
- Если вас выдворили или депортировали, попросите решение письменно и узнайте срок запрета въезда, прежде чем планировать новую поездку.
- Дома: Агентство по занятости трудовых мигрантов и центры занятости Министерства труда, миграции и занятости населения предлагают вакансии, профессиональное обучение и признание навыков, полученных за границей.
- Вернувшихся в трудной ситуации (болезнь, травма, жертвы торговли людьми) можно направить на программы реинтеграции МОМ.

Попросите консультацию о возвращении или позвоните на горячую линию.""",
            ),
            "tg": (
                "Бозгашт ба ватан: пеш аз рафтан ва пас аз расидан",
                "Ҷаримаҳо ва музди меҳнатро пеш аз рафтан ҳал кунед; дар ватан дастгирӣ ҳаст.",
                """Бозгашти банақшагирифта ҳуқуқи шуморо барои боз ба кор рафтан нигоҳ медорад ва барои дар ватан оғоз кардан кӯмак мекунад.

- Пеш аз рафтан: музд ва ҳуҷҷатҳои худро гиред, аз корфармо тасдиқи собиқаи кориатонро пурсед, ҳамаи ҷаримаҳоро пардохт кунед (ҷаримаи пардохтнашуда метавонад ба манъи воридшавӣ табдил ёбад) ва пеш аз тамом шудани мӯҳлати иҷозатдодашудаи будубош бароед.
- Агар шуморо бадарға ё депортатсия карда бошанд, қарорро хаттӣ талаб кунед ва пеш аз нақшаи сафари нав мӯҳлати манъи воридшавиро фаҳмед.
- Дар ватан: Агентии шуғли муҳоҷирони меҳнатӣ ва марказҳои шуғли Вазорати меҳнат, муҳоҷират ва шуғли аҳолӣ ҷойҳои холии корӣ, омӯзиши касбӣ ва эътирофи малакаҳои дар хориҷа гирифташударо пешниҳод мекунанд.
- Бозгаштагонро дар вазъи душвор (беморӣ, захмбардорӣ, қурбониёни савдои одамон) ба барномаҳои ҳамгироии дубораи СБМ равона кардан мумкин аст.

Дар бораи бозгашт машварат пурсед ё ба хати боварӣ занг занед.""",
            ),
        },
    ),
]
