"""Ship the eleven case types of the issue and the crossing points Tajik migrants pass.

Targets are hours to first contact and to resolution per urgency; administrators change
them in the back office. The trafficking questions follow the ILO/IOM indicators of forced
labour and trafficking (deception, restricted movement, isolation, violence and threats,
withheld documents, withheld wages, debt bondage, abusive conditions, excessive overtime).
"""

from django.db import migrations

STANDARD = {
    "critical": {"first_contact": 2, "resolution": 72},
    "high": {"first_contact": 8, "resolution": 168},
    "normal": {"first_contact": 24, "resolution": 720},
    "low": {"first_contact": 72, "resolution": 1440},
}
URGENT = {
    "critical": {"first_contact": 1, "resolution": 24},
    "high": {"first_contact": 2, "resolution": 72},
    "normal": {"first_contact": 8, "resolution": 240},
    "low": {"first_contact": 24, "resolution": 720},
}
CONSULTATION = {
    "critical": {"first_contact": 4, "resolution": 48},
    "high": {"first_contact": 12, "resolution": 120},
    "normal": {"first_contact": 48, "resolution": 240},
    "low": {"first_contact": 96, "resolution": 480},
}


def q(code, en, ru, tg):
    return {"code": code, "en": en, "ru": ru, "tg": tg}


WHERE_NOW = q(
    "where_now",
    "Where are you now, and are you safe?",
    "Где вы сейчас и в безопасности ли вы?",
    "Шумо ҳоло дар куҷо ҳастед ва оё дар амният ҳастед?",
)
DOCUMENTS = q(
    "documents",
    "Which documents do you have with you (passport, patent, registration)?",
    "Какие документы у вас на руках (паспорт, патент, регистрация)?",
    "Кадом ҳуҷҷатҳо дар дасти шумо ҳастанд (шиноснома, патент, бақайдгирӣ)?",
)
REASON_GIVEN = q(
    "reason_given",
    "What reason did the officers give, orally or in writing?",
    "Какую причину назвали сотрудники устно или письменно?",
    "Кормандон кадом сабабро шифоҳӣ ё хаттӣ гуфтанд?",
)
TRAFFICKING = [
    q(
        "deception",
        "Were you deceived about the work, the pay or the conditions?",
        "Вас обманули насчёт работы, оплаты или условий?",
        "Оё шуморо дар бораи кор, музд ё шароит фиреб доданд?",
    ),
    q(
        "movement",
        "Are you free to leave the place where you work or live?",
        "Можете ли вы свободно покинуть место работы или проживания?",
        "Оё шумо озодона ҷои кор ё зисти худро тарк карда метавонед?",
    ),
    q(
        "documents_withheld",
        "Has the employer or an intermediary taken your passport or other documents?",
        "Забрал ли работодатель или посредник ваш паспорт или другие документы?",
        "Оё корфармо ё миёнарав шиноснома ё дигар ҳуҷҷатҳои шуморо гирифтааст?",
    ),
    q(
        "debt",
        "Do you owe the employer or recruiter a debt you cannot repay?",
        "Есть ли у вас долг перед работодателем или вербовщиком, который вы не можете вернуть?",
        "Оё шумо ба корфармо ё ҷалбкунанда қарзе доред, ки баргардонда наметавонед?",
    ),
    q(
        "wages_withheld",
        "Are your wages withheld or much lower than promised?",
        "Задерживают ли вашу зарплату или она намного ниже обещанной?",
        "Оё музди шуморо нигоҳ медоранд ё он аз ваъдашуда хеле кам аст?",
    ),
    q(
        "threats",
        "Have you or your family been threatened or hurt?",
        "Угрожали ли вам или вашей семье, применяли ли насилие?",
        "Оё ба шумо ё оилаатон таҳдид карданд ё зарар расониданд?",
    ),
    q(
        "isolation",
        "Are you kept from contacting your family or from using a phone?",
        "Вам запрещают связываться с семьёй или пользоваться телефоном?",
        "Оё шуморо аз тамос бо оила ё истифодаи телефон манъ мекунанд?",
    ),
    q(
        "hours",
        "Do you work excessive hours or without days off?",
        "Работаете ли вы сверхурочно или без выходных?",
        "Оё шумо аз ҳад зиёд ё бе рӯзи истироҳат кор мекунед?",
    ),
    q(
        "conditions",
        "Are you made to live or work in degrading or dangerous conditions?",
        "Вас заставляют жить или работать в унизительных или опасных условиях?",
        "Оё шуморо маҷбур мекунанд, ки дар шароити таҳқиромез ё хатарнок зиндагӣ ё кор кунед?",
    ),
]

CASE_TYPES = [
    (
        "held_at_border",
        "Held at a border crossing",
        "Задержание на пункте пропуска",
        "Боздошт дар гузаргоҳи сарҳадӣ",
        True,
        URGENT,
        [
            WHERE_NOW,
            q(
                "since_when",
                "Since when have you been held, and were you given food and water?",
                "С какого времени вас удерживают, давали ли вам еду и воду?",
                "Аз кай шуморо нигоҳ медоранд ва оё ба шумо хӯрок ва об доданд?",
            ),
            REASON_GIVEN,
            DOCUMENTS,
        ],
    ),
    (
        "denied_entry",
        "Denied entry",
        "Отказ во въезде",
        "Рад кардани вуруд",
        False,
        URGENT,
        [WHERE_NOW, REASON_GIVEN, DOCUMENTS],
    ),
    (
        "deportation",
        "Deportation or expulsion",
        "Депортация или выдворение",
        "Депортатсия ё ихроҷ",
        False,
        URGENT,
        [
            WHERE_NOW,
            q(
                "court_decision",
                "Was there a court decision, and do you have a copy?",
                "Было ли решение суда и есть ли у вас его копия?",
                "Оё қарори суд буд ва нусхаи он дар дасти шумо ҳаст?",
            ),
            DOCUMENTS,
        ],
    ),
    (
        "entry_ban",
        "Entry ban or \u201ccontrolled persons\u201d listing",
        "Запрет въезда или реестр контролируемых лиц",
        "Манъи вуруд ё феҳристи шахсони таҳти назорат",
        False,
        STANDARD,
        [
            q(
                "how_learned",
                "How did you learn about the ban (SMS, website, at the border)?",
                "Как вы узнали о запрете (SMS, сайт, на границе)?",
                "Шумо дар бораи манъ чӣ тавр фаҳмидед (SMS, сомона, дар сарҳад)?",
            ),
            REASON_GIVEN,
        ],
    ),
    (
        "detention",
        "Detention",
        "Задержание",
        "Ҳабс",
        True,
        URGENT,
        [
            WHERE_NOW,
            q(
                "lawyer",
                "Have you been given a lawyer and an interpreter?",
                "Предоставили ли вам адвоката и переводчика?",
                "Оё ба шумо ҳимоятгар ва тарҷумон доданд?",
            ),
            REASON_GIVEN,
        ],
    ),
    (
        "unpaid_wages",
        "Unpaid wages or labour dispute",
        "Невыплата зарплаты или трудовой спор",
        "Музди пардохтнашуда ё баҳси меҳнатӣ",
        False,
        STANDARD,
        [
            q(
                "employer",
                "Who is the employer, and do you have a written contract?",
                "Кто работодатель и есть ли у вас письменный договор?",
                "Корфармо кист ва оё шартномаи хаттӣ доред?",
            ),
            q(
                "amount",
                "How much is owed, and for how many months?",
                "Сколько вам должны и за сколько месяцев?",
                "Ба шумо чӣ қадар ва барои чанд моҳ қарздоранд?",
            ),
        ],
    ),
    (
        "documents",
        "Documents seized or lost",
        "Изъятие или утрата документов",
        "Гирифтан ё гум шудани ҳуҷҷатҳо",
        False,
        STANDARD,
        [
            DOCUMENTS,
            q(
                "who_took",
                "Who took the documents, or where were they lost?",
                "Кто забрал документы или где они были утеряны?",
                "Ҳуҷҷатҳоро кӣ гирифт ё онҳо дар куҷо гум шуданд?",
            ),
        ],
    ),
    (
        "patent_registration",
        "Patent or registration problem",
        "Проблема с патентом или регистрацией",
        "Мушкилот бо патент ё бақайдгирӣ",
        False,
        STANDARD,
        [
            q(
                "patent_region",
                "In which region was the patent issued, and until when is it paid?",
                "В каком регионе выдан патент и до какого числа он оплачен?",
                "Патент дар кадом минтақа дода шудааст ва то кадом сана пардохт шудааст?",
            ),
            DOCUMENTS,
        ],
    ),
    (
        "trafficking",
        "Trafficking or forced labour indicators",
        "Признаки торговли людьми или принудительного труда",
        "Нишонаҳои савдои одамон ё меҳнати маҷбурӣ",
        False,
        URGENT,
        [WHERE_NOW, *TRAFFICKING],
    ),
    (
        "death_injury",
        "Death or injury abroad (repatriation)",
        "Смерть или травма за рубежом (репатриация)",
        "Марг ё осеб дар хориҷа (бозгардонӣ)",
        False,
        URGENT,
        [
            q(
                "person_where",
                "Where is the person (hospital, morgue), and who is the next of kin?",
                "Где находится человек (больница, морг) и кто ближайший родственник?",
                "Шахс дар куҷост (беморхона, мурдахона) ва хеши наздик кист?",
            ),
            DOCUMENTS,
        ],
    ),
    (
        "consultation",
        "Consultation (legal, documents, work, return)",
        "Консультация (правовая, документы, работа, возвращение)",
        "Машварат (ҳуқуқӣ, ҳуҷҷатҳо, кор, бозгашт)",
        False,
        CONSULTATION,
        [
            q(
                "topic",
                "What would you like advice about?",
                "По какому вопросу вам нужна консультация?",
                "Шумо дар бораи чӣ машварат мехоҳед?",
            )
        ],
    ),
]

# code, kind, country, latitude, longitude, representation, en, ru, tg
BORDER_POINTS = [
    ("dme", "airport", "RUS", "55.40880", "37.90630", "mlme-mow",
     "Moscow Domodedovo airport", "Аэропорт Домодедово (Москва)", "Фурудгоҳи Домодедово (Москва)"),
    ("vko", "airport", "RUS", "55.59150", "37.26150", "mlme-mow",
     "Moscow Vnukovo airport", "Аэропорт Внуково (Москва)", "Фурудгоҳи Внуково (Москва)"),
    ("svo", "airport", "RUS", "55.97260", "37.41460", "mlme-mow",
     "Moscow Sheremetyevo airport", "Аэропорт Шереметьево (Москва)", "Фурудгоҳи Шереметево (Москва)"),
    ("zia", "airport", "RUS", "55.55330", "38.15000", "mlme-mow",
     "Zhukovsky airport (Moscow region)", "Аэропорт Жуковский", "Фурудгоҳи Жуковский"),
    ("led", "airport", "RUS", "59.80030", "30.26250", "mlme-mow",
     "St Petersburg Pulkovo airport", "Аэропорт Пулково (Санкт-Петербург)", "Фурудгоҳи Пулково (Санкт-Петербург)"),
    ("svx", "airport", "RUS", "56.74310", "60.80270", "mlme-ekb",
     "Yekaterinburg Koltsovo airport", "Аэропорт Кольцово (Екатеринбург)", "Фурудгоҳи Колтсово (Екатеринбург)"),
    ("ovb", "airport", "RUS", "55.01260", "82.65070", "mlme-ekb",
     "Novosibirsk Tolmachevo airport", "Аэропорт Толмачёво (Новосибирск)", "Фурудгоҳи Толмачево (Новосибирск)"),
    ("sagarchin", "road", "RUS", "51.13000", "56.50000", "mlme-mow",
     "Sagarchin road crossing (Orenburg)", "МАПП Сагарчин (Оренбургская область)", "Гузаргоҳи Сагарчин (Оренбург)"),
    ("mashtakovo", "road", "RUS", "51.17000", "55.43000", "mlme-mow",
     "Mashtakovo road crossing (Orenburg)", "МАПП Маштаково (Оренбургская область)", "Гузаргоҳи Маштаково (Оренбург)"),
    ("petukhovo", "rail", "RUS", "55.06000", "67.89000", "mlme-ekb",
     "Petukhovo rail crossing (Kurgan)", "ЖДПП Петухово (Курганская область)", "Гузаргоҳи роҳи оҳани Петухово (Курган)"),
    ("ozinki", "rail", "RUS", "51.18000", "49.70000", "mlme-mow",
     "Ozinki rail crossing (Saratov)", "ЖДПП Озинки (Саратовская область)", "Гузаргоҳи роҳи оҳани Озинки (Саратов)"),
    ("ala", "airport", "KAZ", "43.35210", "77.04050", "mlme-ala",
     "Almaty airport", "Аэропорт Алматы", "Фурудгоҳи Алмаато"),
    ("nqz", "airport", "KAZ", "51.02220", "71.46690", "mlme-ala",
     "Astana airport", "Аэропорт Астаны", "Фурудгоҳи Остона"),
    ("zhibek-zholy", "road", "KAZ", "41.38000", "69.28000", "mlme-ala",
     "Zhibek Zholy road crossing (Kazakhstan\u2013Uzbekistan)", "КПП Жибек жолы (Казахстан\u2013Узбекистан)", "Гузаргоҳи Ҷибек Ҷолӣ (Қазоқистон\u2013Ӯзбекистон)"),
    ("kazygurt", "road", "KAZ", "41.75000", "69.38000", "mlme-ala",
     "Kazygurt road crossing (Kazakhstan\u2013Uzbekistan)", "КПП Казыгурт (Казахстан\u2013Узбекистан)", "Гузаргоҳи Қазиғурт (Қазоқистон\u2013Ӯзбекистон)"),
]  # fmt: skip


def ship(apps, schema_editor):
    CaseType = apps.get_model("assistance", "CaseType")
    BorderPoint = apps.get_model("assistance", "BorderPoint")
    for order, (code, en, ru, tg, hours, targets, questions) in enumerate(CASE_TYPES):
        CaseType.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_tg": tg,
                "asks_hours_held": hours,
                "targets": targets,
                "questions": questions,
                "order": order,
            },
        )
    for code, kind, country, lat, lon, rep, en, ru, tg in BORDER_POINTS:
        BorderPoint.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "country_code": country,
                "latitude": lat,
                "longitude": lon,
                "representation_code": rep,
                "name_en": en,
                "name_ru": ru,
                "name_tg": tg,
            },
        )


def unship(apps, schema_editor):
    apps.get_model("assistance", "CaseType").objects.filter(
        code__in=[row[0] for row in CASE_TYPES]
    ).delete()
    apps.get_model("assistance", "BorderPoint").objects.filter(
        code__in=[row[0] for row in BORDER_POINTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_cases_and_directory")]

    operations = [migrations.RunPython(ship, unship)]
