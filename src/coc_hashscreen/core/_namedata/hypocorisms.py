"""Familiar forms (hypocorisms) of given names outside the English dataset.

The English nicknames come from the ``nicknames`` package (see
``given_names.PROVENANCE``); this table covers languages that dataset does
not: Russian, Ukrainian, Polish, Czech and Slovak, Hungarian, German, Dutch,
Scandinavian, Spanish, Portuguese, Italian, French, Greek, Romanian,
Serbian and Croatian, Hebrew and a few Arabic and Persian forms.

Provenance: compiled by hand by the maintainers from general knowledge of
each language's familiar forms; each group reviewed for being a real,
common familiar form; not copied from a dataset.  No source was read for
it, and none is claimed.  Entries should be reviewed by native speakers of
each language before the table is relied on, and corrected where they say
so; only the committee's variant keys use it, so it may grow or shrink in
any release.

Shape: each group is a formal name followed by its familiar forms, all
lower-case ASCII as the name reaches the variant rules: accents already
transliterated ("Małgosia" is "malgosia", "Zé" is "ze"), Cyrillic and Greek
already romanized.  Where a formal name has several common romanizations
("dmitrii" from a Cyrillic passport, "dmitry" as people write it), each
spelling has its own group; groups with the same formal name are merged
when the table is read, so a formal name may appear in several language
blocks.

Over-matching: a familiar form that is also a common word, or a given name
in its own right, makes the register's name match unrelated people.  Forms
of that kind were left out ("mila", "nadia", "greta", "elsa", "britt",
"klaus", "jens", "boban", "bitte", "lisa" for Elisabeth, "enzo" for
Lorenzo), as was "kike" for Enrique (an English slur; "quique" stays).  The
ones left in because they are *the* everyday form of their name are marked
``# own`` (also a given name in its own right: hans, jan, lena, rita, ira,
franco, gino, ola, tanya, alexis, lara) or ``# word`` (also a common word:
asia, kuba, aga, wolf, pino, pina, roma, concha, chico, nacho, poncho,
chucho, tono, toto, peta, vlada, ze).

Not for Chinese, Japanese or Korean given names: their familiar forms are
not derived from the name this way, and the callers do not pass them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["GROUPS"]

GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    # Russian (and the Russian forms Ukrainians and Belarusians use),
    # romanized.  Diminutives such as Sasha, Misha, Natasha are the usual
    # form among friends and colleagues.  The "-ia"/"-io" spellings are what
    # a passport-style transliteration of the Cyrillic gives ("Катя" as
    # "katia"), the "-ya"/"-yo" ones what people write themselves.
    ("aleksandr", "sasha", "sanya", "shura", "sashka"),
    ("alexandr", "sasha", "sanya", "shura"),
    ("aleksandra", "sasha", "shura", "sanya"),
    ("aleksei", "alyosha", "alesha", "lyosha", "lesha", "liosha"),
    ("aleksey", "alyosha", "lyosha", "lesha"),
    ("alexey", "alyosha", "lyosha", "lesha"),
    ("anastasia", "nastya", "nastia"),
    ("anastasiia", "nastya", "nastia"),
    ("anastasiya", "nastya"),
    ("anatolii", "tolya", "tolia"),
    ("anatoly", "tolya"),
    ("andrei", "andryusha", "andriusha"),
    ("andrey", "andryusha"),
    ("anna", "anya", "ania", "anyuta", "nyura"),
    ("anton", "antosha", "tosha"),
    ("antonina", "tonya", "tonia"),
    ("artyom", "tyoma"),
    ("artem", "tyoma", "tioma"),
    ("boris", "borya", "boria"),
    ("daria", "dasha"),
    ("darya", "dasha"),
    ("dariia", "dasha"),
    ("dmitrii", "dima", "mitya", "mitia"),
    ("dmitry", "dima", "mitya"),
    ("dmitriy", "dima", "mitya"),
    ("ekaterina", "katya", "katia", "katyusha"),
    ("yekaterina", "katya", "katyusha"),
    ("elena", "lena"),  # own
    ("yelena", "lena"),  # own
    ("elizaveta", "liza"),
    ("yelizaveta", "liza"),
    ("evgenii", "zhenya", "zhenia"),
    ("evgeny", "zhenya"),
    ("yevgeny", "zhenya"),
    ("evgenia", "zhenya", "zhenia"),
    ("evgeniya", "zhenya"),
    ("fyodor", "fedya"),
    ("fiodor", "fedya", "fedia"),
    ("galina", "galya", "galia"),
    ("gennadii", "gena"),
    ("gennady", "gena"),
    ("georgii", "gosha", "zhora"),
    ("georgy", "gosha", "zhora"),
    ("grigorii", "grisha"),
    ("grigory", "grisha"),
    ("ilya", "ilyusha"),
    ("ilia", "ilyusha", "iliusha"),
    ("irina", "ira"),  # own
    ("ivan", "vanya", "vania"),
    ("konstantin", "kostya", "kostia"),
    ("ksenia", "ksyusha", "ksiusha"),
    ("kseniia", "ksyusha", "ksiusha"),
    ("kseniya", "ksyusha"),
    ("larisa", "lara"),  # own
    ("leonid", "lyonya", "lenya"),
    ("liubov", "liuba", "lyuba"),
    ("lyubov", "lyuba"),
    ("liudmila", "liuda", "lyuda"),
    ("lyudmila", "lyuda"),
    ("lidiya", "lida"),
    ("lidia", "lida"),
    ("maksim", "maks"),
    ("margarita", "rita"),  # own
    ("maria", "masha", "marusya"),
    ("mariia", "masha", "marusia"),
    ("mariya", "masha", "marusya"),
    ("mikhail", "misha"),
    ("nadezhda", "nadya"),
    ("natalia", "natasha"),
    ("natalya", "natasha"),
    ("nataliya", "natasha"),
    ("nikolai", "kolya", "kolia"),
    ("nikolay", "kolya"),
    ("olga", "olya", "olia"),
    ("pavel", "pasha"),
    ("piotr", "petya", "petia"),
    ("pyotr", "petya"),
    ("petr", "petya"),
    ("polina", "polya"),
    ("raisa", "raya"),
    ("roman", "roma"),  # word
    ("semyon", "syoma"),
    ("sergei", "seryozha", "serezha", "seriozha"),
    ("sergey", "seryozha", "serezha"),
    ("sofya", "sonya"),
    ("sofia", "sonya"),
    ("stanislav", "stas", "slava"),
    ("stepan", "styopa"),
    ("svetlana", "sveta"),
    ("tatiana", "tanya", "tania"),  # own (tanya)
    ("tatyana", "tanya"),
    ("valentina", "valya", "valia"),
    ("valerii", "valera"),
    ("valery", "valera"),
    ("vasilii", "vasya", "vasia"),
    ("vasily", "vasya"),
    ("viacheslav", "slava"),
    ("vyacheslav", "slava"),
    ("viktor", "vitya", "vitia"),
    ("viktoria", "vika"),
    ("viktoriya", "vika"),
    ("viktoriia", "vika"),
    ("vladimir", "volodya", "volodia", "vova"),
    ("vladislav", "vlad", "slava"),
    ("yaroslav", "slava"),
    ("iaroslav", "slava"),
    ("yulia", "yulya"),
    ("yuliya", "yulya"),
    ("iuliia", "yulya", "iulia"),
    ("yurii", "yura", "iura"),
    ("iurii", "yura", "iura"),
    ("yuri", "yura"),
    ("yury", "yura"),
    ("zinaida", "zina"),
    # Ukrainian, in the national romanization (Oleksandr, Mykola,
    # Volodymyr), with the familiar forms Ukrainians use.  Belarusian
    # forms are not in the table yet.
    ("oleksandr", "sasha", "sashko"),
    ("volodymyr", "volodya", "vova"),
    ("mykola", "kolya"),
    ("dmytro", "dima"),
    ("yevhen", "zhenya"),
    ("serhii", "seryozha"),
    ("serhiy", "seryozha"),
    # Polish: the -ek/-ka/-sia forms that are the everyday name among
    # friends and at work.  Diacritics are already dropped (Małgosia is
    # "malgosia", Krzyś is "krzys").
    ("agnieszka", "aga"),  # word
    ("aleksander", "olek", "alek"),
    ("aleksandra", "ola", "olka"),  # own (ola)
    ("andrzej", "jedrek"),
    ("anna", "ania", "anka"),
    ("antoni", "antek"),
    ("barbara", "basia"),
    ("bartlomiej", "bartek"),
    ("boleslaw", "bolek"),
    ("bronislaw", "bronek"),
    ("czeslaw", "czesiek"),
    ("danuta", "danusia", "danka"),
    ("dariusz", "darek"),
    ("dorota", "dorotka"),
    ("edward", "edek"),
    ("elzbieta", "ela", "elka"),
    ("eugeniusz", "gienek"),
    ("franciszek", "franek"),
    ("grzegorz", "grzesiek", "grzes"),
    ("henryk", "heniek", "henio"),
    ("jadwiga", "jadzia"),
    ("jakub", "kuba"),  # word
    ("jan", "janek", "jasiek"),
    ("jaroslaw", "jarek"),
    ("jerzy", "jurek"),
    ("joanna", "asia"),  # word
    ("jozef", "jozek"),
    ("katarzyna", "kasia", "kaska"),
    ("kazimierz", "kazek", "kazio"),
    ("krystyna", "krysia"),
    ("krzysztof", "krzys", "krzysiek"),
    ("maciej", "maciek"),
    ("magdalena", "magda", "madzia"),
    ("malgorzata", "gosia", "malgosia"),
    ("maria", "marysia"),
    ("mieczyslaw", "mietek"),
    ("miroslaw", "mirek"),
    ("piotr", "piotrek"),
    ("przemyslaw", "przemek"),
    ("radoslaw", "radek"),
    ("ryszard", "rysiek", "rysio"),
    ("slawomir", "slawek"),
    ("stanislaw", "staszek", "stasiek"),
    ("stanislawa", "stasia"),
    ("szymon", "szymek"),
    ("tadeusz", "tadek"),
    ("tomasz", "tomek"),
    ("tymoteusz", "tymek"),
    ("urszula", "ula"),
    ("wieslaw", "wiesiek"),
    ("wladyslaw", "wladek", "wladzio"),
    ("wojciech", "wojtek"),
    ("zbigniew", "zbyszek"),
    ("zenon", "zenek"),
    ("zofia", "zosia"),
    # Czech and Slovak: the everyday forms (Jirka, Honza, Pepa); háčeks
    # and čárkas already dropped (Péťa is "peta", Vašek is "vasek").
    ("antonin", "tonda"),
    ("bohumil", "bohous"),
    ("frantisek", "franta"),
    ("jakub", "kuba"),  # word
    ("jan", "honza", "jenik"),
    ("jaroslav", "jarda"),
    ("jiri", "jirka"),
    ("josef", "pepa", "pepik"),
    ("katerina", "katka"),
    ("ludmila", "lida", "lidka"),
    ("lucie", "lucka"),
    ("miroslav", "mirek"),
    ("ondrej", "ondra"),
    ("petr", "peta"),  # word
    ("stanislav", "standa"),
    ("tereza", "terka"),
    ("vaclav", "vasek"),
    ("veronika", "verca"),
    ("vojtech", "vojta"),
    ("zdenek", "zdenda"),
    ("jozef", "jozo", "jozko"),  # Slovak
    ("jan", "janko"),  # Slovak Ján
    ("ladislav", "laco"),  # Slovak
    ("stefan", "stevo"),  # Slovak Štefan
    # Hungarian: the -i/-ka/-csi forms used by nearly everyone for
    # everyone (Pista, Laci, Erzsi); accents dropped (Józsi is "jozsi").
    ("agnes", "agi"),
    ("andras", "bandi"),
    ("anna", "panni", "anci"),
    ("csaba", "csabi"),
    ("daniel", "dani"),
    ("erzsebet", "erzsi", "bozsi"),
    ("eszter", "eszti"),
    ("eva", "evi"),
    ("ferenc", "feri"),
    ("gabor", "gabi"),
    ("gyorgy", "gyuri"),
    ("gyula", "gyuszi"),
    ("ildiko", "ildi"),
    ("ilona", "ilonka", "ica"),
    ("imre", "imi"),
    ("istvan", "pista", "pisti"),
    ("janos", "jani", "jancsi"),
    ("jozsef", "jozsi", "joska"),
    ("judit", "jutka"),
    ("karoly", "karcsi"),
    ("katalin", "kati", "kata"),
    ("krisztina", "kriszti"),
    ("laszlo", "laci"),
    ("maria", "marika", "marcsi"),
    ("mihaly", "misi"),
    ("miklos", "miki"),
    ("peter", "peti"),
    ("sandor", "sanyi"),
    ("tamas", "tomi"),
    ("tibor", "tibi"),
    ("zoltan", "zoli"),
    ("zsofia", "zsofi"),
    ("zsuzsanna", "zsuzsa", "zsuzsi"),
    # German (with Austrian and Swiss forms): the traditional short forms,
    # umlauts already folded (Käthe is "kathe").
    ("alexander", "sascha"),
    ("andreas", "andi"),
    ("barbara", "babsi"),
    ("cornelia", "conny"),
    ("elisabeth", "liesel", "liesl", "sissi"),
    ("franziska", "franzi"),
    ("friedrich", "fritz"),
    ("gabriele", "gabi"),
    ("gertrud", "trude", "gerti"),
    ("heinrich", "heinz", "heiner"),
    ("hildegard", "hilde"),
    ("joachim", "achim", "jochen"),
    ("johannes", "hannes", "hans"),  # own (hans)
    ("josef", "sepp", "seppl", "pepi"),
    ("katharina", "kathi", "kathe"),
    ("leopold", "poldi"),
    ("magdalena", "lena", "leni"),  # own (lena)
    ("margarethe", "grete", "gretel", "gretchen"),
    ("matthias", "matze"),
    ("maximilian", "maxi"),
    ("michael", "michi"),
    ("rudolf", "rudi"),
    ("sebastian", "basti"),
    ("stefanie", "steffi"),
    ("susanne", "susi"),
    ("theresia", "resi"),
    ("tobias", "tobi"),
    ("ulrich", "uli", "ulli"),
    ("wilhelm", "willi"),
    ("wolfgang", "wolf", "wolfi"),  # word (wolf)
    # Dutch and Flemish: the everyday names that Dutch people with a
    # formal baptismal name go by (Johannes is Jan, Cornelis is Kees).
    ("cornelis", "kees"),
    ("gijsbert", "gijs"),
    ("hendrik", "henk"),
    ("jacobus", "koos", "jaap", "sjaak"),
    ("johanna", "hanneke"),
    ("johannes", "jan", "hans", "joop"),  # own (jan, hans)
    ("josephus", "sjef", "joep"),
    ("maria", "marieke"),
    ("nicolaas", "klaas", "niek"),
    ("petrus", "piet"),
    ("pieter", "piet"),
    ("antonius", "toon", "teun"),
    ("willem", "wim", "pim"),
    # Scandinavian and Finnish: Swedish Kalle, Pelle, Lasse, Olle; the
    # Norwegian Ola; Finnish Jussi.  Å, ä, ö already folded (Gösta is
    # "gosta").
    ("elisabet", "lisbet"),
    ("gustav", "gosta"),
    ("gustaf", "gosta"),
    ("juhani", "jussi"),
    ("karl", "kalle"),
    ("katarina", "kajsa", "kaisa"),
    ("katariina", "kaisa"),
    ("kristina", "stina"),
    ("lars", "lasse"),
    ("mikael", "micke"),
    ("olav", "ola"),  # own (ola)
    ("olof", "olle"),
    ("per", "pelle"),
    # Spanish (Spain and Latin America): the traditional hypocorisms
    # (Pepe, Paco, Lola, Chuy), many of them not shortenings of the name.
    ("alberto", "beto"),
    ("alejandro", "alex"),
    ("alfonso", "poncho"),  # word
    ("antonio", "tono", "toni"),  # word (tono)
    ("asuncion", "asun"),
    ("concepcion", "concha", "conchita"),  # word (concha)
    ("consuelo", "chelo"),
    ("dolores", "lola", "loli"),
    ("eduardo", "lalo"),
    ("enrique", "quique"),
    ("federico", "fede"),
    ("fernando", "nando"),
    ("francisco", "paco", "pancho", "curro", "paquito"),
    ("gabriel", "gabo"),
    ("graciela", "chela"),
    ("gregorio", "goyo"),
    ("guadalupe", "lupe", "lupita"),
    ("guillermo", "memo"),
    ("ignacio", "nacho"),  # word
    ("isabel", "chabela"),
    ("javier", "javi"),
    ("jesus", "chuy", "chucho"),  # word (chucho)
    ("joaquin", "quino"),
    ("jose", "pepe", "pepito", "chepe"),
    ("josefa", "pepa", "pepita"),
    ("luis", "lucho"),
    ("manuel", "manolo", "manu"),
    ("margarita", "marga"),
    ("maria", "maruja"),
    ("mercedes", "merche", "meche"),
    ("pilar", "pili"),
    ("rafael", "rafa"),
    ("ramon", "moncho"),
    ("roberto", "beto"),
    ("rodrigo", "rodri"),
    ("rosario", "charo", "chayo"),
    ("salvador", "chava", "salva"),
    ("santiago", "santi", "chago"),
    ("teresa", "tere"),
    ("vicente", "chente"),
    # Portuguese and Brazilian: Zé, Chico, Tião and the -inho forms.
    ("antonio", "toninho", "tonho"),
    ("eduardo", "dudu"),
    ("fernando", "nando"),
    ("francisco", "chico", "chiquinho"),  # word (chico)
    ("joao", "joaozinho"),
    ("jose", "ze", "zezinho", "zeca"),  # word (ze)
    ("sebastiao", "tiao"),
    # Italian: the traditional forms (Peppe, Gianni, Ciccio, Totò), many
    # of them regional; accents dropped (Totò is "toto").
    ("alessandro", "sandro"),
    ("antonio", "tonino"),
    ("beatrice", "bice"),
    ("domenico", "mimmo"),
    ("elisabetta", "betta"),
    ("emanuele", "lele"),
    ("federico", "fede"),
    ("filippo", "pippo"),
    ("francesco", "franco", "cecco", "checco", "ciccio"),  # own (franco)
    ("gaetano", "tano"),
    ("gabriele", "lele"),
    ("giovanni", "gianni", "nanni", "vanni"),
    ("giuseppe", "peppe", "beppe", "pino", "peppino"),  # word (pino)
    ("giuseppina", "pina", "peppina"),  # word (pina)
    ("luigi", "gino"),  # own
    ("lorenzo", "renzo"),
    ("margherita", "rita"),  # own
    ("raffaele", "lello"),
    ("salvatore", "toto", "turi"),  # word (toto)
    ("vincenzo", "enzo"),
    # French: the short forms in everyday use (Manu, Nico, Seb).
    ("emmanuel", "manu"),
    ("frederic", "fred"),
    ("jacques", "jacquot"),
    ("jean", "jeannot"),
    ("louise", "loulou"),
    ("nicolas", "nico"),
    ("sebastien", "seb"),
    ("stephane", "steph"),
    # Greek, in the modern (ELOT 743 style) romanization that Greeks use on
    # passports: the everyday forms (Kostas, Giorgos, Nikos) are what most
    # people are called, the formal -os/-ios name is the registered one.
    ("aikaterini", "katerina", "kaiti", "katina"),
    ("alexandros", "alekos", "alexis"),  # own (alexis)
    ("anastasios", "tasos", "sakis"),
    ("apostolos", "tolis"),
    ("athanasios", "thanasis", "thanos", "sakis"),
    ("charalampos", "babis", "lambros"),
    ("dimitrios", "dimitris", "mitsos"),
    ("efstathios", "stathis"),
    ("efthymios", "thymios"),
    ("eleni", "lena"),  # own
    ("emmanouil", "manolis", "manos"),
    ("evangelos", "vangelis"),
    ("georgios", "giorgos", "yorgos", "giorgis"),
    ("grigorios", "grigoris"),
    ("ioannis", "giannis", "yannis", "yiannis", "giannakis"),
    ("konstantinos", "kostas", "kostis", "dinos"),
    ("michail", "michalis"),
    ("nikolaos", "nikos"),
    ("panagiota", "giota", "yiota"),
    ("panagiotis", "panos", "takis"),
    ("paraskevi", "voula", "evi"),
    ("sotirios", "sotiris"),
    ("spyridon", "spyros", "spiros"),
    ("stylianos", "stelios"),
    ("theodoros", "thodoris"),
    ("vasileios", "vasilis"),
    ("vasiliki", "vaso"),
    # Romanian: Ionuț, Costel, Nicu, Ghiță (cedillas and commas dropped).
    ("constantin", "costel", "costica", "costi"),
    ("gheorghe", "ghita", "gica", "gigi"),
    ("ion", "ionut", "ionel"),
    ("nicolae", "nicu"),
    # Serbian and Croatian (Latin script, diacritics dropped: Saša is
    # "sasa", Joca stays "joca").
    ("aleksandar", "sasa", "aca"),
    ("jovan", "joca"),
    ("slobodan", "sloba"),
    ("svetlana", "ceca"),
    ("vladimir", "vlada"),  # word
    # Hebrew (Israeli usage): Yossi, Kobi, Itzik, Moti.
    ("ariel", "arik"),
    ("avraham", "avi"),
    ("binyamin", "beni"),
    ("david", "dudi", "dudu"),
    ("mordechai", "moti"),
    ("moshe", "moshik"),
    ("shmuel", "shmulik"),
    ("tzvi", "tzvika"),
    ("yaakov", "kobi", "yankel"),
    ("yehoshua", "shuki"),
    ("yisrael", "srulik"),
    ("yitzhak", "itzik"),
    ("yonatan", "yoni"),
    ("yosef", "yossi"),
    # Arabic-origin names: only the few familiar forms in wide use (the
    # Egyptian Hamada, the Levantine and Iraqi Hamoudi, Abdo and Abboud
    # for names in Abd-); Persian Mamad for Mohammad.  Spellings follow
    # the common English-language ones.
    ("abdallah", "abdo", "abboud"),
    ("abdelrahman", "abdo"),
    ("abdullah", "abdo", "abboud"),
    ("abdulrahman", "abdo"),
    ("ahmad", "hamoudi"),
    ("ahmed", "hamada", "hamoudi"),
    ("mahmoud", "hamada", "hamoudi"),
    ("mohamed", "hamada", "hamoudi"),
    ("mohammad", "hamoudi", "mamad"),
    ("mohammed", "hamoudi", "hammoudi"),
    ("muhammad", "hamoudi"),
)
